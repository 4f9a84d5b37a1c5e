/**
 * `kill -9` of maos in the middle of an orchestration, then resume: the
 * real program, real shell agents, marker files counting every execution.
 */
import {
  assert,
  assertContiguousSeq,
  assertEquals,
  assertIncludes,
  countLines,
  liveAgentsOf,
  liveInGroup,
  maosOk,
  MaosProcess,
  readEvents,
  readPids,
  readText,
  taskProgress,
  taskStatuses,
  waitForOrchestration,
  waitUntil,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import type { MessageView } from "../../lib/queries/queries.ts";

/**
 * quick (fast) and slow (8 steps of 0.25 s) run side by side; after waits
 * for both. Each run appends a line to runs/<task>; slow also writes its
 * pid (= its process group) and its prompt.
 */
function crashPlan(dir: string): string {
  return writePlan(dir, {
    agents: [
      { id: "fast-001", role: "fast" },
      { id: "slow-001", role: "slow" },
      { id: "after-001", role: "after" },
    ],
    tasks: [
      {
        id: "quick",
        agent: "fast-001",
        title: "Quick look",
        run: "echo run >> runs/quick\n" +
          "echo '::maos::discovery:: quick found the config'\n" +
          "echo '::maos::info to=after-001:: quick says hi'",
      },
      {
        id: "slow",
        agent: "slow-001",
        title: "Slow work",
        run: "echo $$ >> runs/slow.pid\n" +
          "echo run >> runs/slow\n" +
          'printf "%s\\n" "$MAOS_PROMPT" > runs/slow.prompt\n' +
          "echo '::maos::discovery:: slow is under way'\n" +
          "i=0\n" +
          "while [ $i -lt 8 ]; do\n" +
          '  i=$((i+1)); echo "step $i"; echo "::maos::progress:: $((i*12))"\n' +
          "  echo $i >> runs/slow.steps; sleep 0.25\n" +
          "done",
      },
      {
        id: "after",
        agent: "after-001",
        title: "Wrap up",
        dependsOn: ["quick", "slow"],
        run: "echo run >> runs/after\n" +
          'printf "%s\\n" "$MAOS_INBOX" > runs/after.inbox',
      },
    ],
  });
}

Deno.test("kill -9 mid-run: agents end within 5 s, it shows interrupted, and resume re-runs only the cut task, once", async () => {
  await withProject(async (dir) => {
    const maos = new MaosProcess(
      ["orchestrate", "Crash test", "--plan", crashPlan(dir)],
      { cwd: dir },
    );
    const id = await waitForOrchestration(dir, maos);
    await waitUntil(
      () =>
        taskStatuses(dir, id).quick === "completed" &&
        taskProgress(dir, id, "slow") >= 24,
      () => `quick completed and slow at step 2\n${maos.output()}`,
    );
    const [slowPid] = readPids(dir, "runs/slow.pid");
    assert(liveInGroup(slowPid).length > 0, "the slow agent is running");

    maos.kill("SIGKILL");
    assertEquals((await maos.exit()).signal, "SIGKILL");
    const killedAt = Date.now();
    await waitUntil(
      () => liveInGroup(slowPid).length === 0,
      () => `agent group ${slowPid} to end: ${liveInGroup(slowPid)}`,
      5_000,
    );
    assert(Date.now() - killedAt < 5_000);
    assertEquals(
      liveAgentsOf(id),
      [],
      "no process of the orchestration is left",
    );
    const stepsAtKill = countLines(dir, "runs/slow.steps");
    assert(stepsAtKill < 8, `slow was cut (${stepsAtKill} steps)`);

    // Everything the log holds was acknowledged before the kill.
    const beforeEvents = readEvents(dir, id);
    const before = beforeEvents.filter((e) => e.type === "message");
    assertEquals(before.length, 3);

    const list = (await maosOk(["--json", "orchestration", "list"], {
      cwd: dir,
    })).json<{ id: string; status: string }[]>();
    assertEquals(list.map((o) => [o.id, o.status]), [[id, "interrupted"]]);
    const listed = (await maosOk(["--json", "message", "list", id], {
      cwd: dir,
    })).json<MessageView[]>();
    assertEquals(listed.map((m) => m.seq), before.map((e) => e.seq));

    // A person's message while nothing runs: delivered on resume.
    await maosOk(
      [
        "message",
        "send",
        "--orchestration",
        id,
        "--to",
        "after-001",
        "note from a person",
      ],
      { cwd: dir },
    );

    const resumed = await maosOk(
      ["orchestration", "resume", id.slice(0, 6)],
      { cwd: dir },
    );
    assertIncludes(resumed.stdout, "interrupted");
    assertIncludes(
      resumed.stdout,
      "✓ Message bus restored (1 new from the inbox)",
    );
    assertIncludes(
      resumed.stdout,
      "[slow-001]: Running Slow work again from the start (a shell command cannot continue",
    );
    assert(
      !resumed.stdout.includes("[fast-001]:"),
      "the completed agent is not continued",
    );

    // Completed tasks were not run again; the cut one ran exactly once more.
    assertEquals(countLines(dir, "runs/quick"), 1);
    assertEquals(countLines(dir, "runs/slow"), 2);
    assertEquals(countLines(dir, "runs/after"), 1);
    assertEquals(countLines(dir, "runs/slow.steps"), stepsAtKill + 8);
    // …told that it was interrupted, and what it had printed.
    const prompt = readText(dir, "runs/slow.prompt");
    assertIncludes(prompt, "You were interrupted");
    assertIncludes(prompt, "step 1");

    const after = readEvents(dir, id);
    assertContiguousSeq(after);
    // The log before the kill is still its prefix, untouched.
    assertEquals(after.slice(0, beforeEvents.length), beforeEvents);
    const messages = (await maosOk(["--json", "message", "list", id], {
      cwd: dir,
    })).json<MessageView[]>();
    for (const old of before) {
      if (old.type !== "message") continue;
      const same = messages.filter((m) => m.seq === old.seq);
      assertEquals(same.map((m) => [m.from, m.content]), [[
        old.from,
        old.content,
      ]]);
    }
    assertEquals(
      messages.filter((m) => m.content === "note from a person").length,
      1,
    );
    const inbox = readText(dir, "runs/after.inbox");
    for (
      const text of [
        "quick found the config",
        "quick says hi",
        "note from a person",
      ]
    ) {
      assertEquals(inbox.split(text).length - 1, 1, `${text} in\n${inbox}`);
    }

    const status = (await maosOk(["--json", "orchestration", "status", id], {
      cwd: dir,
    })).json<{ status: string; tasks: { status: string }[] }>();
    assertEquals(status.status, "completed");
    assertEquals(status.tasks.map((t) => t.status), [
      "completed",
      "completed",
      "completed",
    ]);
    await maosOk(["doctor"], { cwd: dir });
  });
});
