/**
 * Ctrl-C (SIGINT) pauses, a second one forces; resume continues; two
 * resumes at once cannot both drive the orchestration. Real processes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assert,
  assertContiguousSeq,
  assertEquals,
  assertIncludes,
  countLines,
  liveInGroup,
  maosOk,
  MaosProcess,
  orchestrationDir,
  readEvents,
  readPids,
  sleep,
  taskProgress,
  taskStatuses,
  waitForOrchestration,
  waitUntil,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import type { OrchestrationStatus } from "../../lib/queries/queries.ts";

/** quick completes at once; slow takes `steps` × 0.2 s, writing its pid and steps. */
function pausePlan(dir: string, steps = 6): string {
  return writePlan(dir, {
    agents: [
      { id: "fast-001", role: "fast" },
      { id: "slow-001", role: "slow" },
    ],
    tasks: [
      {
        id: "quick",
        agent: "fast-001",
        title: "Quick look",
        run: "echo run >> runs/quick\n" +
          "echo '::maos::discovery:: quick found the config'",
      },
      {
        id: "slow",
        agent: "slow-001",
        title: "Slow work",
        run: "echo $$ >> runs/slow.pid\n" +
          "echo run >> runs/slow\n" +
          "i=0\n" +
          `while [ $i -lt ${steps} ]; do\n` +
          '  i=$((i+1)); echo "step $i"; echo "::maos::progress:: $((i*10))"\n' +
          "  sleep 0.2\n" +
          "done",
      },
    ],
  });
}

/** Start `orchestrate` and wait until quick is done and slow has made progress. */
async function startAndWait(
  dir: string,
  plan: string,
): Promise<{ maos: MaosProcess; id: string }> {
  const maos = new MaosProcess(
    ["orchestrate", "Pause test", "--plan", plan],
    { cwd: dir },
  );
  const id = await waitForOrchestration(dir, maos);
  await waitUntil(
    () =>
      taskStatuses(dir, id).quick === "completed" &&
      taskProgress(dir, id, "slow") >= 10,
    () => `quick completed and slow under way\n${maos.output()}`,
  );
  return { maos, id };
}

async function status(dir: string, id: string): Promise<OrchestrationStatus> {
  return (await maosOk(["--json", "orchestration", "status", id], {
    cwd: dir,
  })).json<OrchestrationStatus>();
}

Deno.test("SIGINT pauses (exit 130, saved, lock released) and resume continues to the end", async () => {
  await withProject(async (dir) => {
    const { maos, id } = await startAndWait(dir, pausePlan(dir));
    maos.kill("SIGINT");
    const { code } = await maos.exit();
    assertEquals(code, 130, maos.output());
    assertIncludes(
      maos.stdout,
      `⏸️ Orchestration paused. Resume with: maos orchestration resume ${
        id.slice(0, 8)
      }`,
    );
    assert(
      /💾 State saved\. 1 agent paused, 1 message preserved\./.test(
        maos.stdout,
      ),
      maos.output(),
    );
    assert(!fs.existsSync(path.join(orchestrationDir(dir, id), "run.lock")));
    const [slowPid] = readPids(dir, "runs/slow.pid");
    assertEquals(liveInGroup(slowPid), [], "a paused agent is not running");

    const paused = await status(dir, id);
    assertEquals(paused.status, "paused");
    assertEquals(
      paused.tasks.map((t) => [t.id, t.status]),
      [["quick", "completed"], ["slow", "paused"]],
    );
    assertEquals(
      paused.agents.map((a) => [a.id, a.status]),
      [["fast-001", "completed"], ["slow-001", "paused"]],
    );
    const events = readEvents(dir, id);
    assertEquals(events.at(-1)?.type, "orchestration.paused");

    const resumed = await maosOk(["orchestration", "resume", id], {
      cwd: dir,
    });
    for (
      const line of [
        `Resuming orchestration ${id.slice(0, 8)}`,
        "Pause test",
        "paused",
        "✓ Message bus restored",
        "✓ 2 agents restored",
        "✓ Loaded 1 message",
        "[slow-001]: Running Slow work again from the start",
      ]
    ) assertIncludes(resumed.stdout, line);
    assertEquals(countLines(dir, "runs/quick"), 1);
    assertEquals(countLines(dir, "runs/slow"), 2);
    assertEquals((await status(dir, id)).status, "completed");
    assertContiguousSeq(readEvents(dir, id));
  });
});

Deno.test("a second SIGINT stops an agent that ignores signals at once, and still saves", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "stubborn-001", role: "stubborn" }],
      tasks: [{
        id: "deaf",
        agent: "stubborn-001",
        title: "Ignore signals",
        run: "trap '' INT TERM\n" +
          "echo $$ > runs/deaf.pid\n" +
          "i=0\n" +
          'while :; do i=$((i+1)); echo "::maos::progress:: $i"; sleep 0.1; done',
      }],
    });
    const maos = new MaosProcess(
      ["orchestrate", "Stubborn", "--plan", plan],
      { cwd: dir },
    );
    const id = await waitForOrchestration(dir, maos);
    await waitUntil(
      () => taskProgress(dir, id, "deaf") >= 2,
      () => `the deaf task under way\n${maos.output()}`,
    );
    const [pid] = readPids(dir, "runs/deaf.pid");

    maos.kill("SIGINT");
    await waitUntil(() => maos.stderr.includes("Pausing"), maos.output);
    await sleep(500);
    assert(!maos.exited, "still waiting for the agent to stop");
    assert(liveInGroup(pid).length > 0, "the agent ignored the first SIGINT");

    const forcedAt = Date.now();
    maos.kill("SIGINT");
    const { code } = await maos.exit();
    assertEquals(code, 130, maos.output());
    assert(
      Date.now() - forcedAt < 1_500,
      `forced stop took ${Date.now() - forcedAt} ms`,
    );
    assertIncludes(maos.stderr, "Stopping agents now");
    assertIncludes(maos.stdout, "💾 State saved.");
    assertEquals(liveInGroup(pid), []);
    assert(!fs.existsSync(path.join(orchestrationDir(dir, id), "run.lock")));

    const events = readEvents(dir, id);
    assertContiguousSeq(events);
    const last = events.at(-1)!;
    assertEquals(
      last.type === "orchestration.paused" ? last.reason : last.type,
      "forced stop",
    );
    const paused = await status(dir, id);
    assertEquals(paused.status, "paused");
    assertEquals(paused.tasks.map((t) => t.status), ["paused"]);
  });
});

Deno.test("two resumes at once: one exits 3 naming the holder's pid, the other completes", async () => {
  await withProject(async (dir) => {
    const { maos, id } = await startAndWait(dir, pausePlan(dir, 8));
    maos.kill("SIGINT");
    assertEquals((await maos.exit()).code, 130, maos.output());

    const both = [0, 1].map(() =>
      new MaosProcess(["orchestration", "resume", id.slice(0, 8)], {
        cwd: dir,
      })
    );
    const codes = await Promise.all(
      both.map(async (m) => (await m.exit()).code),
    );
    const loser = codes.indexOf(3);
    assert(loser >= 0, `one must exit 3: ${codes}`);
    const winner = both[1 - loser];
    assertEquals(codes[1 - loser], 0, winner.output());
    assertIncludes(both[loser].stderr, `pid ${winner.pid}`);
    assertEquals(both[loser].stdout, "", "the loser printed no resume panel");
    assertEquals(countLines(dir, "runs/slow"), 2);
    assertEquals((await status(dir, id)).status, "completed");
    assertContiguousSeq(readEvents(dir, id));
  });
});
