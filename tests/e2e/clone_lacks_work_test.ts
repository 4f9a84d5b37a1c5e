/**
 * A clone that lacks maos's refs (only the user's branch travelled, with
 * `.maos/` committed): merge and resume say so in one line with the fetch
 * hint, change nothing, and after the fetch they work (issue 16, item 5).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { git } from "../../lib/git/git.ts";
import {
  assertEquals,
  assertIncludes,
  maosOk,
  runMaos,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import {
  gitInit,
  orchestrationIds,
  readFile,
  worktreeOf,
} from "./_git_project.ts";

const FETCH = "git fetch origin 'refs/maos/*:refs/maos/*'";

async function cloneMainOnly(dir: string): Promise<string> {
  await git(dir, ["add", "-A"]);
  await git(dir, ["commit", "-qm", "the team's .maos"]);
  const clone = path.join(dir, "runs", "clone");
  await git(dir, ["clone", "-q", "--no-local", "--single-branch", dir, clone]);
  await git(clone, ["config", "user.name", "maos test"]);
  await git(clone, ["config", "user.email", "test@example.com"]);
  return clone;
}

async function fetchMaos(clone: string): Promise<void> {
  await git(clone, [
    "fetch",
    "-q",
    "origin",
    "refs/maos/*:refs/maos/*",
    "refs/heads/maos/*:refs/heads/maos/*",
  ]);
}

Deno.test("merge in a clone without maos's refs says the commits are missing (exit 1, one line and the fetch hint), not 'nothing to merge'", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }],
      tasks: [{ id: "a", agent: "dev", title: "A", run: "echo a > a.txt" }],
    });
    await gitInit(dir);
    await maosOk(["orchestrate", "A", "--plan", plan], { cwd: dir });
    const id8 = orchestrationIds(dir)[0].slice(0, 8);
    const clone = await cloneMainOnly(dir);
    const run = await runMaos(["orchestration", "merge", id8], { cwd: clone });
    assertEquals(run.code, 1, run.stdout + run.stderr);
    assertIncludes(run.stderr, "this clone lacks the commits of dev");
    assertIncludes(run.stderr, "nothing was merged");
    assertIncludes(run.stderr, FETCH);
    assertEquals(run.stderr.trim().split("\n").length, 2);
    assertEquals(run.stdout.includes("Nothing to merge"), false);
    await fetchMaos(clone);
    await maosOk(["orchestration", "merge", id8], { cwd: clone });
    assertEquals(readFile(path.join(clone, "a.txt")), "a\n");
  });
});

Deno.test("resume in a clone without maos's refs refuses in one line before anything runs; after the fetch it resumes with the agent's half-done work", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }],
      tasks: [{
        id: "a",
        agent: "dev",
        title: "A",
        // Fails the first time, leaving half-done work; passes once the file says so.
        run:
          "echo half >> work.txt; grep -q fixed fix.txt 2>/dev/null || exit 1",
      }],
    });
    await gitInit(dir);
    const first = await runMaos(["orchestrate", "A", "--plan", plan], {
      cwd: dir,
    });
    assertEquals(first.code, 1, first.stdout + first.stderr);
    const id = orchestrationIds(dir)[0];
    const clone = await cloneMainOnly(dir);
    const events = () =>
      fs.readFileSync(
        path.join(clone, ".maos", "orchestrations", id, "events.jsonl"),
        "utf8",
      );
    const before = events();
    const run = await runMaos(["orchestration", "resume", id.slice(0, 8)], {
      cwd: clone,
    });
    assertEquals(run.code, 1, run.stdout + run.stderr);
    assertIncludes(run.stderr, "this clone lacks the commits of dev");
    assertIncludes(run.stderr, "nothing was resumed");
    assertIncludes(run.stderr, FETCH);
    assertEquals(events(), before); // nothing appended, nothing started over
    assertEquals(fs.existsSync(worktreeOf(clone, id, "dev")), false);

    await fetchMaos(clone);
    fs.writeFileSync(path.join(clone, "fix.txt"), "fixed\n");
    await git(clone, ["add", "fix.txt"]);
    await git(clone, ["commit", "-qm", "fix"]);
    // The agent's worktree starts from its saved files: fix.txt is not there yet.
    const again = await runMaos(["orchestration", "resume", id.slice(0, 8)], {
      cwd: clone,
    });
    assertEquals(again.code, 1, again.stdout + again.stderr);
    assertEquals(
      readFile(path.join(worktreeOf(clone, id, "dev"), "work.txt")),
      "half\nhalf\n",
    );
  });
});
