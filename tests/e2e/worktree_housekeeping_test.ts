/**
 * Housekeeping of the agents' worktrees on real git repositories: doctor
 * and --repair, orchestration remove, recover cleanup, and a clone that
 * lacks the saved commits.
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
import { gitInit, readFile, worktreeOf } from "./_git_project.ts";

function twoDevs(dir: string): string {
  return writePlan(dir, {
    agents: [
      { id: "dev-a", role: "developer" },
      { id: "dev-b", role: "developer" },
    ],
    tasks: [
      { id: "a", agent: "dev-a", title: "Write a", run: "echo a > a.txt" },
      { id: "b", agent: "dev-b", title: "Write b", run: "echo b > b.txt" },
    ],
  });
}

async function ranTwoDevs(dir: string): Promise<{ id: string; base: string }> {
  const plan = twoDevs(dir);
  fs.writeFileSync(path.join(dir, ".gitignore"), ".maos/\n");
  const base = await gitInit(dir);
  await maosOk(["orchestrate", "Two devs", "--plan", plan], { cwd: dir });
  const id = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0];
  return { id, base };
}

Deno.test("doctor finds a missing worktree and branch, a locked worktree and a branch moved by hand; --repair makes them again", async () => {
  await withProject(async (dir) => {
    const { id, base } = await ranTwoDevs(dir);
    const id8 = id.slice(0, 8);
    const a = worktreeOf(dir, id, "dev-a");
    const b = worktreeOf(dir, id, "dev-b");
    const healthy = await runMaos(["doctor"], { cwd: dir });
    assertEquals(healthy.code, 0, healthy.stdout + healthy.stderr);
    fs.rmSync(a, { recursive: true, force: true });
    await git(dir, ["worktree", "prune"]);
    await git(dir, ["branch", "-D", `maos/${id8}/dev-a`]);
    await git(dir, ["worktree", "lock", b]);
    const sick = await runMaos(["doctor"], { cwd: dir });
    assertEquals(sick.code, 4, sick.stdout + sick.stderr);
    assertIncludes(sick.stdout, `branch maos/${id8}/dev-a is missing`);
    assertIncludes(sick.stdout, "dev-a's worktree is missing");
    assertIncludes(sick.stdout, "the worktree is locked");
    const repaired = await runMaos(["doctor", "--repair"], { cwd: dir });
    assertEquals(repaired.code, 0, repaired.stdout + repaired.stderr);
    assertEquals(readFile(path.join(a, "a.txt")), "a\n");
    assertEquals(
      await gitText(a, ["branch", "--show-current"]),
      `maos/${id8}/dev-a`,
    );
    assert(!(await gitText(dir, ["worktree", "list"])).includes("locked"));
    // A branch reset by hand is reported, and left alone.
    await git(b, ["reset", "-q", "--hard", base]);
    const moved = await runMaos(["doctor"], { cwd: dir });
    assertEquals(moved.code, 0, moved.stdout + moved.stderr);
    assertIncludes(moved.stdout, `branch maos/${id8}/dev-b was moved by hand`);
  });
});

Deno.test("orchestration remove refuses unmerged work, removes worktrees and branches once merged, and --force removes anyway", async () => {
  await withProject(async (dir) => {
    const { id } = await ranTwoDevs(dir);
    const id8 = id.slice(0, 8);
    const refused = await runMaos(["orchestration", "remove", id8], {
      cwd: dir,
    });
    assertEquals(refused.code, 1, refused.stderr);
    assertIncludes(refused.stderr, "dev-a (not merged into main: a.txt)");
    assert(fs.existsSync(worktreeOf(dir, id, "dev-a")));
    await maosOk(["orchestration", "merge", id8], { cwd: dir });
    const removed = await maosOk(["orchestration", "remove", id8], {
      cwd: dir,
    });
    assertIncludes(removed.stdout, `Removed orchestration ${id8}`);
    assert(!fs.existsSync(worktreeOf(dir, id, "dev-a")));
    assertEquals(await gitText(dir, ["branch", "--list", "maos/*"]), "");
    assert(!fs.existsSync(path.join(dir, ".maos", "orchestrations", id)));
    // Checkpoints still name it: its saved files stay.
    assert((await gitText(dir, ["for-each-ref", `refs/maos/${id}/`])) !== "");
    assertEquals(readFile(path.join(dir, "a.txt")), "a\n");

    // Unmerged, but forced.
    const plan = twoDevs(dir);
    await maosOk(["orchestrate", "Again", "--plan", plan], { cwd: dir });
    const second = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))
      .find((o) => o !== id)!;
    // Nothing new to merge (same files), so write something unmerged by hand.
    fs.writeFileSync(
      path.join(worktreeOf(dir, second, "dev-b"), "wip.txt"),
      "x",
    );
    const keep = await runMaos(["orchestration", "remove", second], {
      cwd: dir,
    });
    assertEquals(keep.code, 1);
    assertIncludes(keep.stderr, "uncommitted: wip.txt");
    assertIncludes(keep.stderr, "commit that work in its worktree");
    await maosOk(["orchestration", "remove", second, "--force"], { cwd: dir });
    assert(!fs.existsSync(worktreeOf(dir, second, "dev-b")));
  });
});

Deno.test("recover cleanup removes completed orchestrations' merged worktrees, keeps unmerged ones without --force", async () => {
  await withProject(async (dir) => {
    const { id } = await ranTwoDevs(dir);
    const dry = await maosOk(["recover", "cleanup", "--dry-run"], {
      cwd: dir,
    });
    assertIncludes(dry.stdout, "kept maos/");
    assertIncludes(dry.stdout, "not merged into main");
    await maosOk(["recover", "cleanup"], { cwd: dir });
    assert(fs.existsSync(worktreeOf(dir, id, "dev-a")));
    await maosOk(["orchestration", "merge", id.slice(0, 8)], { cwd: dir });
    const merged = await maosOk(["recover", "cleanup", "--dry-run"], {
      cwd: dir,
    });
    assertIncludes(merged.stdout, "would remove worktree and branch maos/");
    assert(!merged.stdout.includes("Nothing to clean up"), merged.stdout);
    const done = await maosOk(["--json", "recover", "cleanup"], { cwd: dir });
    const { worktrees } = done.json<{ worktrees: { action: string }[] }>();
    assertEquals(worktrees.map((w) => w.action), ["removed", "removed"]);
    assert(!fs.existsSync(worktreeOf(dir, id, "dev-a")));
    // The orchestration itself stays, and resumes nothing.
    assert(fs.existsSync(path.join(dir, ".maos", "orchestrations", id)));
    // What cleanup removed is not a problem for doctor, nor made again by --repair.
    const doctor = await runMaos(["doctor"], { cwd: dir });
    assertEquals(doctor.code, 0, doctor.stdout + doctor.stderr);
    assert(!doctor.stdout.includes("missing"), doctor.stdout);
    await maosOk(["doctor", "--repair"], { cwd: dir });
    assertEquals(await gitText(dir, ["branch", "--list", "maos/*"]), "");
    assert(!fs.existsSync(worktreeOf(dir, id, "dev-a")));
    // status does not claim the agents committed nothing.
    const status = await maosOk(["orchestration", "status", id, "--agents"], {
      cwd: dir,
    });
    assert(!status.stdout.includes("no changes committed"), status.stdout);
  });
});

Deno.test("a clone without maos's refs: doctor says in one line which commit is missing and how to fetch it", async () => {
  await withProject(async (dir) => {
    const plan = twoDevs(dir);
    await gitInit(dir);
    await maosOk(["orchestrate", "Two devs", "--plan", plan], { cwd: dir });
    await git(dir, ["add", "-A"]);
    await git(dir, ["commit", "-qm", "the team's .maos"]);
    const clone = path.join(dir, "runs", "clone");
    // Only the user's branch travels, as with a push of main alone.
    await git(dir, [
      "clone",
      "-q",
      "--no-local",
      "--single-branch",
      dir,
      clone,
    ]);
    const run = await runMaos(["doctor"], { cwd: clone });
    assertEquals(run.code, 4, run.stdout + run.stderr);
    assertIncludes(run.stdout, "are not in this clone");
    assertIncludes(run.stdout, "git fetch origin 'refs/maos/*:refs/maos/*'");
    // After fetching them as the hint says, all is well.
    await git(clone, [
      "fetch",
      "-q",
      "origin",
      "refs/maos/*:refs/maos/*",
      "refs/heads/maos/*:refs/heads/maos/*",
    ]);
    const fine = await runMaos(["doctor"], { cwd: clone });
    assertEquals(fine.code, 0, fine.stdout + fine.stderr);
  });
});

Deno.test("doctor finds a files ref deleted or moved by hand (its saves left to git gc); --repair points it at the saved files again", async () => {
  await withProject(async (dir) => {
    const { id } = await ranTwoDevs(dir);
    const refA = `refs/maos/${id}/dev-a`;
    const refB = `refs/maos/${id}/dev-b`;
    const savedA = await gitText(dir, ["rev-parse", refA]);
    const savedB = await gitText(dir, ["rev-parse", refB]);
    await git(dir, ["update-ref", "-d", refA]);
    await git(dir, ["update-ref", refB, "HEAD"]);
    const sick = await runMaos(["doctor"], { cwd: dir });
    assertIncludes(sick.stdout, `${refA} is missing`);
    assertIncludes(sick.stdout, `${refB} no longer holds`);
    await maosOk(["doctor", "--repair"], { cwd: dir });
    assertEquals(await gitText(dir, ["rev-parse", refA]), savedA);
    const b = await git(dir, ["merge-base", "--is-ancestor", savedB, refB], {
      allowFail: true,
    });
    assertEquals(b.code, 0, "dev-b's saved files are reachable again");
    const fine = await runMaos(["doctor"], { cwd: dir });
    assertEquals(fine.code, 0, fine.stdout + fine.stderr);
    assert(!fine.stdout.includes("refs/maos"), fine.stdout);
  });
});
