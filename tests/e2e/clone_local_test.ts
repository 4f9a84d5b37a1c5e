/**
 * A plain `git clone /path/to/project` (git's local clone: every object
 * comes along, even those only maos's refs reach, but no `maos/*` branch)
 * has the commits the log names and still lacks the agents' branches:
 * merge must say so with the fetch hint, not "Nothing to merge: … already
 * in main". Found by review 2, cloning a project with `.maos/` committed.
 */
import * as path from "node:path";
import { git, gitText } from "../../lib/git/git.ts";
import {
  assertEquals,
  assertIncludes,
  maosOk,
  runMaos,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import { gitInit, orchestrationIds, showFile } from "./_git_project.ts";

Deno.test("merge and diff in a local clone (objects there, no maos branches) say the branch is missing with the fetch hint; merge works once fetched", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }],
      tasks: [{ id: "a", agent: "dev", title: "A", run: "echo a > a.txt" }],
    });
    await gitInit(dir);
    await maosOk(["orchestrate", "A", "--plan", plan], { cwd: dir });
    const id8 = orchestrationIds(dir)[0].slice(0, 8);
    await git(dir, ["add", "-A"]);
    await git(dir, ["commit", "-qm", "the team's .maos"]);
    const clone = path.join(dir, "runs", "clone");
    await git(dir, ["clone", "-q", dir, clone]);
    await git(clone, ["config", "user.name", "maos test"]);
    await git(clone, ["config", "user.email", "test@example.com"]);
    const before = await gitText(clone, ["rev-parse", "HEAD"]);

    // diff says where the work is, not "discarded or removed".
    const diff = await maosOk(["orchestration", "diff", id8], { cwd: clone });
    assertEquals(diff.stdout.includes("discarded"), false, diff.stdout);
    assertIncludes(diff.stdout, "not in this clone");
    assertIncludes(diff.stdout, "git fetch origin 'refs/maos/*:refs/maos/*'");

    const run = await runMaos(["orchestration", "merge", id8], { cwd: clone });
    assertEquals(run.code, 1, run.stdout + run.stderr);
    assertEquals(run.stdout.includes("Nothing to merge"), false, run.stdout);
    assertIncludes(run.stderr, `maos/${id8}/dev`);
    assertIncludes(run.stderr, "nothing was merged");
    assertIncludes(run.stderr, "git fetch origin 'refs/maos/*:refs/maos/*'");
    assertEquals(await gitText(clone, ["rev-parse", "HEAD"]), before);

    await git(clone, [
      "fetch",
      "-q",
      "origin",
      "refs/maos/*:refs/maos/*",
      "refs/heads/maos/*:refs/heads/maos/*",
    ]);
    const merged = await maosOk(["orchestration", "merge", id8], {
      cwd: clone,
    });
    assertIncludes(merged.stdout, "a.txt");
    assertEquals(await showFile(clone, "HEAD", "a.txt"), "a\n");
  });
});

Deno.test("diff of a discarded agent names the ref that keeps its work", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }],
      tasks: [{ id: "a", agent: "dev", title: "A", run: "echo a > a.txt" }],
    });
    await gitInit(dir);
    await maosOk(["orchestrate", "A", "--plan", plan], { cwd: dir });
    const id = orchestrationIds(dir)[0];
    await maosOk(
      ["orchestration", "discard", id.slice(0, 8), "--agent", "dev"],
      {
        cwd: dir,
      },
    );
    const diff = await maosOk(["orchestration", "diff", id.slice(0, 8)], {
      cwd: dir,
    });
    assertIncludes(
      diff.stdout,
      `discarded: its work is kept in refs/maos/${id}/dev.discarded`,
    );
  });
});
