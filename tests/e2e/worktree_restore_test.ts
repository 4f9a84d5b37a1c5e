/**
 * Restores and forks of orchestrations whose agents finished tasks: the
 * branch commits a task end made must go with the files (real program, real
 * git repositories in temp dirs).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { git, gitText } from "../../lib/git/git.ts";
import {
  assert,
  assertEquals,
  assertIncludes,
  maosOk,
  readEvents,
  runMaos,
  taskStatuses,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import {
  filesEvents,
  gitInit,
  readFile,
  showFile,
  worktreeOf,
} from "./_git_project.ts";

/**
 * The developer writes its file, then waits until an interval save has
 * recorded it: the task end then finds the files unchanged since that save,
 * while the task's commit moves the branch.
 */
function savedBeforeEndPlan(dir: string): string {
  return writePlan(dir, {
    agents: [
      { id: "dev", role: "developer" },
      { id: "tester", role: "tester" },
    ],
    tasks: [
      {
        id: "code",
        agent: "dev",
        title: "Write the code",
        run: "echo 'export const x = 1;' > x.ts\n" +
          'log="$MAOS_DIR/orchestrations/$MAOS_ORCHESTRATION_ID/events.jsonl"\n' +
          `until grep -q '"agent.files","agent":"dev"' "$log"; do sleep 0.1; done`,
      },
      {
        id: "check",
        agent: "tester",
        title: "Check the code",
        dependsOn: ["code"],
        run: "cat x.ts",
      },
    ],
  });
}

Deno.test("a task end whose files an interval save already had still records the branch's new commit, so a restore keeps it and the dependant sees the code", async () => {
  await withProject(async (dir) => {
    const plan = savedBeforeEndPlan(dir);
    await gitInit(dir);
    await maosOk([
      "orchestrate",
      "Code",
      "--plan",
      plan,
      "--save-interval",
      "1",
    ], { cwd: dir });
    const id = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0];
    const id8 = id.slice(0, 8);
    const tip = await gitText(dir, ["rev-parse", `maos/${id8}/dev`]);
    assertEquals(
      await gitText(dir, ["log", "-1", "--format=%s", tip]),
      "Write the code",
    );
    // The log says which branch commit goes with the dev's last files.
    assertEquals(
      filesEvents(dir, id).filter((e) => e.agent === "dev").at(-1)?.head,
      tip,
    );
    // The checkpoint written when the dev's task completed.
    const events = readEvents(dir, id);
    const codeDone = events.findIndex((e) =>
      e.type === "task.status" && e.task === "code" && e.status === "completed"
    );
    const checkpoint = events.slice(codeDone).find((e) =>
      e.type === "checkpoint.created"
    );
    if (checkpoint?.type !== "checkpoint.created") {
      throw new Error("no checkpoint");
    }
    await maosOk(["recover", "restore", checkpoint.checkpoint], { cwd: dir });
    // The code stays committed on the dev's branch ...
    assertEquals(await gitText(dir, ["rev-parse", `maos/${id8}/dev`]), tip);
    assertEquals(
      await showFile(dir, `maos/${id8}/dev`, "x.ts"),
      "export const x = 1;\n",
    );
    // ... so the tester, run again, still sees it.
    const resumed = await maosOk(["orchestration", "resume", id8], {
      cwd: dir,
    });
    assertIncludes(resumed.stdout, "export const x = 1;");
    assertEquals(taskStatuses(dir, id).check, "completed");
  });
});

Deno.test("a manual checkpoint records the files in the agents' worktrees as they are, and restoring it brings them back", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }],
      tasks: [{
        id: "code",
        agent: "dev",
        title: "Write the code",
        run: "echo 'export const x = 1;' > x.ts",
      }],
    });
    await gitInit(dir);
    await maosOk(["orchestrate", "Code", "--plan", plan], { cwd: dir });
    const id = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0];
    // A person goes on by hand in the agent's worktree, then checkpoints.
    const worktree = worktreeOf(dir, id, "dev");
    fs.writeFileSync(
      path.join(worktree, "by-hand.ts"),
      "export const y = 2;\n",
    );
    const taken = await maosOk([
      "--json",
      "recover",
      "checkpoint",
      "--orchestration",
      id.slice(0, 8),
      "--name",
      "by-hand",
    ], { cwd: dir });
    const saved = filesEvents(dir, id).at(-1)!;
    assertEquals(saved.reason, "checkpoint");
    assertEquals(
      await showFile(dir, saved.commit, "by-hand.ts"),
      "export const y = 2;\n",
    );
    // Later the file is gone; the checkpoint brings it back.
    fs.rmSync(path.join(worktree, "by-hand.ts"));
    const cp = JSON.parse(taken.stdout).id as string;
    await maosOk(["recover", "restore", cp], { cwd: dir });
    assertEquals(
      readFile(path.join(worktree, "by-hand.ts")),
      "export const y = 2;\n",
    );
  });
});

Deno.test("after a restore to an earlier checkpoint and a resume, every files commit the log names is still reachable from the agent's files ref", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }],
      tasks: [
        { id: "one", agent: "dev", title: "First", run: "echo 1 > v.txt" },
        {
          id: "two",
          agent: "dev",
          title: "Second",
          dependsOn: ["one"],
          run: "echo 2 > v.txt; echo more > two.txt",
        },
      ],
    });
    await gitInit(dir);
    await maosOk(["orchestrate", "Two steps", "--plan", plan], { cwd: dir });
    const id = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0];
    const first = readEvents(dir, id).find((e) =>
      e.type === "checkpoint.created"
    );
    if (first?.type !== "checkpoint.created") throw new Error("no checkpoint");
    // Work done by hand after the run: the restore saves it first.
    fs.writeFileSync(
      path.join(worktreeOf(dir, id, "dev"), "hand.txt"),
      "by hand\n",
    );
    await maosOk(["recover", "restore", first.checkpoint], { cwd: dir });
    await maosOk(["orchestration", "resume", id.slice(0, 8)], { cwd: dir });
    const ref = `refs/maos/${id}/dev`;
    const commits = filesEvents(dir, id).map((e) => e.commit);
    assert(commits.length >= 3, commits.join(" "));
    for (const commit of commits) {
      const r = await git(dir, ["merge-base", "--is-ancestor", commit, ref], {
        allowFail: true,
      });
      assertEquals(r.code, 0, `${commit} is not reachable from ${ref}`);
    }
  });
});

Deno.test("a fork's agents get files refs of their own at once, so its saved files do not depend on the original's refs", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }],
      tasks: [{
        id: "one",
        agent: "dev",
        title: "First",
        run: "echo 1 > v.txt",
      }],
    });
    await gitInit(dir);
    await maosOk(["orchestrate", "One", "--plan", plan], { cwd: dir });
    const id = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0];
    const cp = readEvents(dir, id).find((e) => e.type === "checkpoint.created");
    if (cp?.type !== "checkpoint.created") throw new Error("no checkpoint");
    const forked = await maosOk([
      "--json",
      "recover",
      "restore",
      cp.checkpoint,
      "--fork",
    ], {
      cwd: dir,
    });
    const fork = forked.json<{ orchestrations: { target: string }[] }>()
      .orchestrations[0].target;
    const saved = filesEvents(dir, id).at(-1)!.commit;
    assertEquals(
      await gitText(dir, ["rev-parse", `refs/maos/${fork}/dev`]),
      saved,
    );
    const doctor = await runMaos(["doctor"], { cwd: dir });
    assertEquals(doctor.code, 0, doctor.stdout + doctor.stderr);
    assert(!doctor.stdout.includes("refs/maos"), doctor.stdout);
  });
});
