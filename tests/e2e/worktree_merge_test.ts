/**
 * Merging the agents' work back (`maos orchestration merge`, `orchestrate
 * --merge`) and what `status` says about it, on real git repositories.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { git, gitText } from "../../lib/git/git.ts";
import type { OrchestrationStatus } from "../../lib/queries/queries.ts";
import {
  assert,
  assertEquals,
  assertIncludes,
  maosOk,
  runMaos,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import { gitInit, readFile, showFile, userStatus } from "./_git_project.ts";

/** Two developers, each writing its own file, or (conflict) the same one. */
function twoDevs(dir: string, conflict = false): string {
  return writePlan(dir, {
    agents: [
      { id: "dev-a", role: "developer" },
      { id: "dev-b", role: "developer" },
    ],
    tasks: [
      {
        id: "a",
        agent: "dev-a",
        title: "Write a",
        run: conflict ? "echo a > same.txt" : "echo a > a.txt",
      },
      {
        id: "b",
        agent: "dev-b",
        title: "Write b",
        run: conflict ? "echo b > same.txt" : "echo b > b.txt",
      },
    ],
  });
}

function onlyId(dir: string): string {
  return fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0];
}

Deno.test("status shows each agent's branch and unmerged files; merge --dry-run changes nothing; merge brings the work into the user's branch", async () => {
  await withProject(async (dir) => {
    const plan = twoDevs(dir);
    fs.writeFileSync(path.join(dir, ".gitignore"), ".maos/\n");
    const base = await gitInit(dir);
    await maosOk(["orchestrate", "Two files", "--plan", plan], { cwd: dir });
    const id = onlyId(dir);
    const id8 = id.slice(0, 8);
    const status = (await maosOk(
      ["--json", "orchestration", "status", id8],
      { cwd: dir },
    )).json<OrchestrationStatus>();
    assertEquals(status.isolation, { mode: "worktree", base });
    const devA = status.agents.find((a) => a.id === "dev-a")!;
    assertEquals(devA.branch, `maos/${id8}/dev-a`);
    assertEquals(devA.changedFiles, ["a.txt"]);
    assertEquals(devA.unmergedFiles, ["a.txt"]);
    assertEquals(devA.uncommittedFiles, []);
    const text = await maosOk(["orchestration", "status", id8], { cwd: dir });
    assertIncludes(
      text.stdout,
      `maos/${id8}/dev-a  changed a.txt · 1 not merged`,
    );

    const dry = await maosOk(
      ["orchestration", "merge", id8, "--dry-run"],
      { cwd: dir },
    );
    assertIncludes(dry.stdout, "would bring");
    assertEquals(await gitText(dir, ["rev-parse", "HEAD"]), base);
    assertEquals(readFile(path.join(dir, "a.txt")), null);

    const merged = await maosOk(["orchestration", "merge", id8], { cwd: dir });
    assertIncludes(merged.stdout, `Merged ${id8} into main`);
    assertEquals(readFile(path.join(dir, "a.txt")), "a\n");
    assertEquals(readFile(path.join(dir, "b.txt")), "b\n");
    assertEquals(await userStatus(dir), "");
    const after = (await maosOk(
      ["--json", "orchestration", "status", id8],
      { cwd: dir },
    )).json<OrchestrationStatus>();
    assert(after.agents.every((a) => a.unmergedFiles?.length === 0));
    const again = await maosOk(["orchestration", "merge", id8], { cwd: dir });
    assertIncludes(again.stdout, "Nothing to merge");
  });
});

Deno.test("a merge conflict names the files and changes nothing: not the user's branch, files, nor the agents' branches", async () => {
  await withProject(async (dir) => {
    const plan = twoDevs(dir, true);
    fs.writeFileSync(path.join(dir, ".gitignore"), ".maos/\n");
    const base = await gitInit(dir);
    await maosOk(["orchestrate", "Same file", "--plan", plan], { cwd: dir });
    const id8 = onlyId(dir).slice(0, 8);
    const before = await gitText(dir, ["rev-parse", `maos/${id8}/dev-b`]);
    const run = await runMaos(["orchestration", "merge", id8], { cwd: dir });
    assertEquals(run.code, 1, run.stdout + run.stderr);
    assertIncludes(run.stderr, "conflicts in same.txt; nothing was changed");
    assertEquals(run.stderr.trim().split("\n").length, 2); // the line and its hint
    assertEquals(await gitText(dir, ["rev-parse", "HEAD"]), base);
    assertEquals(await userStatus(dir), "");
    assertEquals(readFile(path.join(dir, "same.txt")), null);
    assertEquals(
      await gitText(dir, ["rev-parse", `maos/${id8}/dev-b`]),
      before,
    );
    // No scratch worktree is left behind.
    assertEquals(
      (await gitText(dir, ["worktree", "list"])).split("\n").length,
      3,
    );
  });
});

Deno.test("merge --into another branch --squash makes one commit there and leaves the checked-out branch alone; orchestrate --merge merges at the end", async () => {
  await withProject(async (dir) => {
    const plan = twoDevs(dir);
    fs.writeFileSync(path.join(dir, ".gitignore"), ".maos/\n");
    const base = await gitInit(dir);
    await git(dir, ["branch", "release"]);
    await maosOk(["orchestrate", "Squash me", "--plan", plan], { cwd: dir });
    const id8 = onlyId(dir).slice(0, 8);
    await maosOk(
      ["orchestration", "merge", id8, "--into", "release", "--squash"],
      { cwd: dir },
    );
    assertEquals(await gitText(dir, ["rev-parse", "HEAD"]), base);
    assertEquals(await gitText(dir, ["rev-parse", "release^"]), base);
    assertEquals(await showFile(dir, "release", "a.txt"), "a\n");
    assertEquals(await showFile(dir, "release", "b.txt"), "b\n");
    assertIncludes(
      await gitText(dir, ["log", "-1", "--format=%B", "release"]),
      "Squash me",
    );

    const run = await maosOk(
      ["orchestrate", "And merge", "--plan", plan, "--merge"],
      { cwd: dir },
    );
    assertIncludes(run.stdout, "into main");
    assertEquals(readFile(path.join(dir, "a.txt")), "a\n");
  });
});

Deno.test("a project in a subdirectory of the repository: agents work in that subdirectory of their worktrees, and merge brings their changes", async () => {
  await withProject(async (top) => {
    const dir = path.join(top, "app");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "code.txt"), "x\n");
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }],
      tasks: [{
        id: "a",
        agent: "dev",
        title: "Edit",
        run: "echo y >> code.txt",
      }],
    });
    await gitInit(top);
    const run = await maosOk(
      ["orchestrate", "In a subdirectory", "--plan", plan, "--merge"],
      { cwd: dir },
    );
    assertIncludes(run.stdout, "app/code.txt");
    assertEquals(readFile(path.join(dir, "code.txt")), "x\ny\n");
  });
});
