/**
 * The project's `.maos/` is never the agents' (DESIGN §4b): not in their
 * worktrees, and never changed by a merge, whatever a branch did to it.
 * Issue 16, item 1, on real git repositories with `.maos/` committed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { git, gitText } from "../../lib/git/git.ts";
import {
  assert,
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
  showFile,
  worktreeOf,
} from "./_git_project.ts";

/** Run a first orchestration and commit `.maos/`, as the README advises; returns its id. */
async function firstRunCommitted(dir: string): Promise<string> {
  const plan = writePlan(dir, {
    agents: [{ id: "dev", role: "developer" }],
    tasks: [{ id: "t", agent: "dev", title: "First", run: "echo 1 > one.txt" }],
  });
  await gitInit(dir);
  await maosOk(["orchestrate", "First", "--plan", plan], { cwd: dir });
  const [first] = orchestrationIds(dir);
  await git(dir, ["add", "-A", ".maos"]);
  await git(dir, ["commit", "-q", "-m", "maos: first orchestration"]);
  assert(
    await showFile(dir, "HEAD", `.maos/orchestrations/${first}/events.jsonl`),
  );
  return first;
}

Deno.test("an agent's rm -rf .maos/orchestrations/<other> in its worktree, then merge: the other orchestration is still there, in HEAD and on disk", async () => {
  await withProject(async (dir) => {
    const first = await firstRunCommitted(dir);
    const plan = writePlan(dir, {
      agents: [{ id: "wrecker", role: "developer" }],
      tasks: [{
        id: "w",
        agent: "wrecker",
        title: "Wreck",
        run:
          `ls -A > seen.txt; rm -rf .maos/orchestrations/${first}; echo w > work.txt`,
      }],
    });
    await git(dir, ["add", "-A"]);
    await git(dir, ["commit", "-q", "-m", "plan"]);
    await maosOk(["orchestrate", "Wreck", "--plan", plan], { cwd: dir });
    const second = orchestrationIds(dir).find((i) => i !== first)!;
    const tree = worktreeOf(dir, second, "wrecker");
    // The agent never had a copy of .maos/ to delete.
    assertEquals(fs.existsSync(path.join(tree, ".maos")), false);
    assert(
      !fs.readFileSync(path.join(tree, "seen.txt"), "utf8").includes(".maos"),
    );
    assertEquals(
      await showFile(
        dir,
        `maos/${second.slice(0, 8)}/wrecker`,
        `.maos/orchestrations/${first}/events.jsonl`,
      ) !== null,
      true,
    );

    // The user commits .maos/ again meanwhile: the branch did not change it, so no warning.
    await git(dir, ["add", "-A", ".maos"]);
    await git(dir, ["commit", "-q", "-m", "maos: second orchestration"]);
    const merged = await maosOk(
      ["orchestration", "merge", second.slice(0, 8)],
      { cwd: dir },
    );
    assertIncludes(merged.stdout, "work.txt");
    assert(!merged.stdout.includes(".maos/"), merged.stdout);
    assert(!merged.stderr.includes("left out"), merged.stderr);
    assert(
      await showFile(dir, "HEAD", `.maos/orchestrations/${first}/events.jsonl`),
    );
    assert(
      fs.existsSync(
        path.join(dir, ".maos", "orchestrations", first, "events.jsonl"),
      ),
    );
    await maosOk(["orchestration", "status", first.slice(0, 8)], { cwd: dir });
  });
});

Deno.test("a branch that removes .maos/ files with git itself (git rm --sparse, commit): the merge leaves .maos/ as the user's branch has it and says so", async () => {
  await withProject(async (dir) => {
    const first = await firstRunCommitted(dir);
    const plan = writePlan(dir, {
      agents: [{ id: "sneaky", role: "developer" }],
      tasks: [{
        id: "s",
        agent: "sneaky",
        title: "Sneak",
        run:
          `git rm -r -q --sparse .maos/orchestrations/${first} && git -c user.name=a -c user.email=a@b commit -q -m sneak && echo s > s.txt`,
      }],
    });
    await git(dir, ["add", "-A"]);
    await git(dir, ["commit", "-q", "-m", "plan"]);
    await maosOk(["orchestrate", "Sneak", "--plan", plan], { cwd: dir });
    const second = orchestrationIds(dir).find((i) => i !== first)!;
    const branch = `maos/${second.slice(0, 8)}/sneaky`;
    // The branch really lost it.
    assertEquals(
      await showFile(dir, branch, `.maos/orchestrations/${first}/events.jsonl`),
      null,
    );
    const before = await gitText(dir, ["rev-parse", "HEAD:.maos"]);
    const dry = await maosOk([
      "orchestration",
      "merge",
      second.slice(0, 8),
      "--dry-run",
    ], { cwd: dir });
    assert(!dry.stdout.includes(".maos/"), dry.stdout);
    const merged = await maosOk(
      ["orchestration", "merge", second.slice(0, 8)],
      { cwd: dir },
    );
    assertIncludes(merged.stderr, "left out (maos never merges .maos/)");
    assertEquals(await gitText(dir, ["rev-parse", "HEAD:.maos"]), before);
    assertEquals(await showFile(dir, "HEAD", "s.txt"), "s\n");
    assert(
      fs.existsSync(
        path.join(dir, ".maos", "orchestrations", first, "state.json"),
      ),
    );
  });
});

Deno.test("a worktree whose creation was cut (still locked 'initializing', no files checked out) is made again on resume, never committed as every file deleted", async () => {
  await withProject(async (dir) => {
    const ok = path.join(dir, "runs", "ok");
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }],
      tasks: [{
        id: "t",
        agent: "dev",
        title: "Edit",
        run: `test -e '${ok}' && echo more >> README.md`,
      }],
    });
    fs.writeFileSync(path.join(dir, "README.md"), "hello\n");
    await gitInit(dir);
    const first = await runMaos(["orchestrate", "Cut", "--plan", plan], {
      cwd: dir,
    });
    assertEquals(first.code, 1, first.stdout + first.stderr);
    const id = orchestrationIds(dir)[0];
    const branch = `maos/${id.slice(0, 8)}/dev`;
    const tree = worktreeOf(dir, id, "dev");
    // What a kill -9 inside `git worktree add --no-checkout --lock` leaves.
    await git(dir, ["worktree", "remove", "--force", tree]);
    await git(dir, [
      "worktree",
      "add",
      "--no-checkout",
      "--lock",
      "--reason",
      "initializing",
      tree,
      branch,
    ]);
    const doctor = await runMaos(["doctor", "--repair"], { cwd: dir });
    assertIncludes(doctor.stdout, "creation was cut");
    fs.writeFileSync(ok, "");
    const again = await runMaos(["orchestration", "resume", id.slice(0, 8)], {
      cwd: dir,
    });
    assertEquals(again.code, 0, again.stdout + again.stderr);
    assertEquals(
      fs.readFileSync(path.join(tree, "README.md"), "utf8"),
      "hello\nmore\n",
    );
    const files = await gitText(dir, ["ls-tree", "-r", "--name-only", branch]);
    assertIncludes(files, "README.md");
  });
});

Deno.test("a worktree made before maos left .maos/ out (a full checkout): doctor says so, --repair leaves it out, the agent's files stay", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }],
      tasks: [{ id: "t", agent: "dev", title: "T", run: "echo 1 > one.txt" }],
    });
    await gitInit(dir);
    await maosOk(["init"], { cwd: dir });
    await git(dir, ["add", "-A", ".maos"]);
    await git(dir, ["commit", "-q", "-m", "maos init"]);
    await maosOk(["orchestrate", "Old", "--plan", plan], { cwd: dir });
    const tree = worktreeOf(dir, orchestrationIds(dir)[0], "dev");
    assertEquals(fs.existsSync(path.join(tree, ".maos")), false);
    // What an older maos made: no sparse checkout, .maos/ there.
    await git(tree, ["sparse-checkout", "disable"]);
    assertEquals(fs.existsSync(path.join(tree, ".maos", "maos.json")), true);
    fs.writeFileSync(path.join(tree, "mine.txt"), "half\n");
    const doctor = await runMaos(["doctor"], { cwd: dir });
    assertIncludes(doctor.stdout, "holds a copy of .maos/");
    await maosOk(["doctor", "--repair"], { cwd: dir });
    assertEquals(fs.existsSync(path.join(tree, ".maos")), false);
    assertEquals(
      fs.readFileSync(path.join(tree, "mine.txt"), "utf8"),
      "half\n",
    );
    const again = await runMaos(["doctor"], { cwd: dir });
    assertEquals(again.stdout.includes("holds a copy"), false, again.stdout);
  });
});
