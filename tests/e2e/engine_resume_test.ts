/**
 * Resume edge cases a user meets: SIGHUP (a closed terminal) pauses like
 * Ctrl-C; `resume --task` gives a completed orchestration new work; a
 * second `resume` without an id, while the first runs, names the holder.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assertEquals,
  assertIncludes,
  maosOk,
  MaosProcess,
  taskStatuses,
  waitForOrchestration,
  waitUntil,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";

function slowPlan(dir: string): string {
  return writePlan(dir, {
    agents: [{ id: "slow-001", role: "slow" }],
    tasks: [{
      id: "slow",
      agent: "slow-001",
      title: "Slow work",
      run: "for i in 1 2 3 4 5 6 7 8 9 10; do echo step $i; sleep 0.2; done",
    }],
  });
}

/**
 * Like slowPlan, but after its first step it waits (up to 30 s) for the
 * file runs/release: on a loaded machine a fixed 2 s can end before a second
 * maos has even started.
 */
function heldPlan(dir: string): string {
  return writePlan(dir, {
    agents: [{ id: "slow-001", role: "slow" }],
    tasks: [{
      id: "slow",
      agent: "slow-001",
      title: "Slow work",
      run: "echo step 1\n" +
        "i=0; while [ ! -e runs/release ] && [ $i -lt 300 ]; do i=$((i+1)); sleep 0.1; done\n" +
        "echo step 2",
    }],
  });
}

Deno.test("SIGHUP pauses like Ctrl-C: exit 130, state saved, resumable", async () => {
  await withProject(async (dir) => {
    const maos = new MaosProcess([
      "orchestrate",
      "hangup",
      "--plan",
      slowPlan(dir),
    ], { cwd: dir });
    const id = await waitForOrchestration(dir, maos);
    await waitUntil(
      () => maos.stdout.includes("step 2"),
      () => `a running task\n${maos.output()}`,
    );
    maos.kill("SIGHUP");
    const exit = await maos.exit();
    assertEquals(exit.code, 130, maos.output());
    assertIncludes(maos.stdout, "⏸️ Orchestration paused");
    assertEquals(taskStatuses(dir, id), { slow: "paused" });
    await maosOk(["orchestration", "resume", id.slice(0, 8)], { cwd: dir });
    assertEquals(taskStatuses(dir, id), { slow: "completed" });
  });
});

Deno.test("resume --task gives a completed orchestration a new task and runs it", async () => {
  await withProject(async (dir) => {
    await maosOk([
      "orchestrate",
      "first",
      "--driver",
      "sim",
      "--agents",
      "developer",
    ], {
      cwd: dir,
      env: { MAOS_SIM_SPEED: "0" },
    });
    const id = await waitForOrchestration(dir);
    const run = await maosOk([
      "orchestration",
      "resume",
      id,
      "--task",
      "Also update the README",
    ], {
      cwd: dir,
      env: { MAOS_SIM_SPEED: "0" },
    });
    assertIncludes(run.stdout, "Also update the README");
    assertEquals(taskStatuses(dir, id), {
      "developer-task": "completed",
      "followup-1": "completed",
    });
    // Without --task there is still nothing to do.
    const again = await maosOk(["orchestration", "resume", id], { cwd: dir });
    assertIncludes(again.stdout, "already completed");
  });
});

Deno.test("a second resume without an id, while the first runs, exits 3 naming the holder", async () => {
  await withProject(async (dir) => {
    const first = new MaosProcess([
      "orchestrate",
      "busy",
      "--plan",
      heldPlan(dir),
    ], { cwd: dir });
    await waitForOrchestration(dir, first);
    await waitUntil(
      () => first.stdout.includes("step 1"),
      () => first.output(),
    );
    first.kill("SIGINT");
    assertEquals((await first.exit()).code, 130, first.output());

    const winner = new MaosProcess(["orchestration", "resume"], { cwd: dir });
    await waitUntil(
      () => winner.stdout.includes("step 1"),
      () => winner.output(),
    );
    const loser = await maosOk(["orchestration", "resume"], {
      cwd: dir,
      code: 3,
    });
    assertIncludes(loser.stderr, `pid ${winner.pid}`);
    fs.writeFileSync(path.join(dir, "runs", "release"), "");
    assertEquals((await winner.exit()).code, 0, winner.output());
  });
});
