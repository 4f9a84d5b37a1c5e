/**
 * Permissions and approvals with the real Claude Code against the model
 * stand-in (issue 14): a tester allowed `Bash(node test.js)` runs it; one
 * without the rule asks and is granted from a second process while the run
 * goes on; a denied one is told why; an unanswered request pauses, and a
 * grant plus resume finish it in the same session; `--always` holds across
 * a resume; a refused call with no approval path shows as refused.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assert,
  assertContiguousSeq,
  assertEquals,
  assertIncludes,
  maosOk,
  MaosProcess,
  readEvents,
  waitForOrchestration,
  waitUntil,
} from "./_engine_helpers.ts";
import {
  bash,
  conversation,
  lastUserText,
  ModelStandin,
  say,
  systemText,
  type Turn,
} from "../../standin/mod.ts";
import { cliSandbox } from "../agents/_real_cli.ts";
import {
  sessionOf,
  statusOf,
  withClaudeProject,
} from "../agents/_maos_claude.ts";
import {
  ofType,
  projectWithTest,
  ran,
  start,
  waitForRequest,
} from "./_approvals.ts";

Deno.test("real claude: a tester allowed Bash(node test.js) runs it, unasked", async () => {
  await withClaudeProject([], async ({ model, box, dir }) => {
    const plan = projectWithTest(dir, { allow: ["Bash(node test.js)"] });
    model.script(bash("node test.js"), say("1 passing."));
    const run = await maosOk(["orchestrate", "Test it", "--plan", plan], {
      cwd: dir,
      env: box.env,
    });
    assertEquals(ran(dir), 1, run.stdout + run.stderr);
    const [id] = fs.readdirSync(path.join(dir, ".maos", "orchestrations"));
    const events = readEvents(dir, id);
    assertEquals(ofType(events, "approval.requested").length, 0);
    assertEquals(ofType(events, "permission.denied").length, 0);
    assertIncludes(lastUserText(model.turns()[1].body), "1 passing");
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed");
    assertEquals(done.tasks[0].refused, undefined);
  });
});

Deno.test("real claude: a call denied by the plan's rules shows as refused, never a plain completion", async () => {
  await withClaudeProject([], async ({ model, box, dir }) => {
    const plan = projectWithTest(dir, { deny: ["Bash(node test.js)"] });
    model.script(bash("node test.js"), say("I could not run the tests."));
    const run = await maosOk(["orchestrate", "Test it", "--plan", plan], {
      cwd: dir,
      env: box.env,
    });
    assertEquals(ran(dir), 0);
    assertIncludes(
      run.stdout,
      "completed: Run the tests (1) · 1 tool call refused: Bash node test.js",
    );
    const [id] = fs.readdirSync(path.join(dir, ".maos", "orchestrations"));
    const denied = ofType(readEvents(dir, id), "permission.denied");
    assertEquals(
      denied.map((e) => [e.agent, e.task, e.tool, e.input.command]),
      [
        ["tester-001", "test-1", "Bash", "node test.js"],
      ],
    );
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.tasks[0].refused, 1);
    assertEquals(done.tasks[0].refusals, [{
      tool: "Bash",
      input: "node test.js",
    }]);
    assertEquals(done.agents[0].refused, 1);
    const status = await maosOk(["orchestration", "status", id], {
      cwd: dir,
      env: box.env,
    });
    assertIncludes(status.stdout, "1 tool call refused: Bash node test.js");
    const agents = await maosOk(["--json", "agent", "list", id], {
      cwd: dir,
      env: box.env,
    });
    assertEquals(agents.json<{ refused?: number }[]>()[0].refused, 1);
    const table = await maosOk(["agent", "list", id], {
      cwd: dir,
      env: box.env,
    });
    assertIncludes(table.stdout, "tester-001: 1 tool call refused");
  });
});

Deno.test("real claude: a tester without the rule asks, is granted from a second process while the run goes on, and runs it", async () => {
  await withClaudeProject([], async (project) => {
    const { model, box, dir } = project;
    const plan = projectWithTest(dir);
    model.script(bash("node test.js"), say("1 passing."));
    const { maos, id } = await start(project, plan);
    await waitForRequest(dir, id, maos);
    assertEquals(ran(dir), 0, "nothing runs before the answer");
    // The live line follows the event (its output may reach us a moment later).
    const asks =
      `✋ [tester-001] asks to run Bash: node test.js — maos approval grant ${
        id.slice(0, 8)
      } 1`;
    await waitUntil(() => maos.stdout.includes(asks), () => maos.output());
    const list = await maosOk(["--json", "approval", "list", id], {
      cwd: dir,
      env: box.env,
    });
    const [row] = list.json<
      { n: number; agent: string; tool: string; status: string }[]
    >();
    assertEquals([row.n, row.agent, row.tool, row.status], [
      1,
      "tester-001",
      "Bash",
      "pending",
    ]);
    await maosOk(["approval", "grant", id.slice(0, 8), "1"], {
      cwd: dir,
      env: box.env,
    });
    const exit = await maos.exit(60_000);
    assertEquals(exit.code, 0, maos.output());
    assertEquals(ran(dir), 1);
    const events = readEvents(dir, id);
    const [decided] = ofType(events, "approval.decided");
    assertEquals([decided.n, decided.decision], [1, "granted"]);
    assertEquals(ofType(events, "permission.denied").length, 0);
    assertEquals(
      model.turns().length,
      2,
      "one turn: the call, then its result",
    );
    assertIncludes(lastUserText(model.turns()[1].body), "1 passing");
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed");
    assertEquals(done.approvals?.map((a) => a.status), ["granted"]);
    assertContiguousSeq(events);
  });
});

Deno.test("real claude: a denied request is refused with the reason, and the task says so", async () => {
  await withClaudeProject([], async (project) => {
    const { model, box, dir } = project;
    const plan = projectWithTest(dir);
    model.script(bash("node test.js"), say("Skipped the tests."));
    const { maos, id } = await start(project, plan);
    await waitForRequest(dir, id, maos);
    await maosOk(
      [
        "approval",
        "deny",
        id,
        "1",
        "--reason",
        "use the mock server",
        "--by",
        "ann",
      ],
      { cwd: dir, env: box.env },
    );
    const exit = await maos.exit(60_000);
    assertEquals(exit.code, 0, maos.output());
    assertEquals(ran(dir), 0);
    // The model got the reason as the tool's result.
    assertIncludes(lastUserText(model.turns()[1].body), "use the mock server");
    assertIncludes(maos.stdout, "1 tool call refused: Bash node test.js");
    const events = readEvents(dir, id);
    const [answer] = ofType(events, "approval.decided");
    assertEquals([answer.reason, answer.by], ["use the mock server", "ann"]);
    assertEquals(ofType(events, "permission.denied").length, 1);
  });
});

Deno.test("real claude: an unanswered request pauses (exit 130); a grant while paused and a resume finish it in the same session", async () => {
  await withClaudeProject([], async (project) => {
    const { model, box, dir } = project;
    const plan = projectWithTest(dir, undefined, 1, 1);
    model.script(bash("node test.js"), say("Waiting for approval."));
    const { maos, id } = await start(project, plan);
    const exit = await maos.exit(60_000);
    assertEquals(exit.code, 130, maos.output());
    const id8 = id.slice(0, 8);
    assertIncludes(maos.stdout, `maos approval grant ${id8} 1`);
    assertIncludes(maos.stdout, `maos orchestration resume ${id8}`);
    assertIncludes(maos.stdout, "✋ [tester-001] waiting for approval #1");
    assertEquals(ran(dir), 0);
    const paused = await statusOf(dir, id, box.env);
    assertEquals(paused.status, "paused");
    assertEquals(paused.tasks[0].waitingFor, [1]);
    // The tool told the model to end its turn.
    assertIncludes(lastUserText(model.turns()[1].body), "No answer yet");
    const session = sessionOf(model.turns()[0]);

    await maosOk(["approval", "grant", id8, "1"], { cwd: dir, env: box.env });
    // The answer waits in the inbox; list shows it already.
    const list = await maosOk(["--json", "approval", "list", id8], {
      cwd: dir,
      env: box.env,
    });
    assertEquals(list.json<{ status: string }[]>()[0].status, "granted");

    model.script(bash("node test.js"), say("1 passing."));
    const resumed = await maosOk(["orchestration", "resume", id8], {
      cwd: dir,
      env: box.env,
    });
    assertEquals(ran(dir), 1, resumed.stdout + resumed.stderr);
    const turns = model.turns();
    const again = turns[2];
    assertEquals(sessionOf(again), session, "the same Claude session");
    assertIncludes(
      lastUserText(again.body),
      "maos approval #1 (Bash: node test.js) was granted",
    );
    assert(
      conversation(again.body).some((m) => m.text.includes("No answer yet")),
      "the earlier turn is in the resumed history",
    );
    const events = readEvents(dir, id);
    assertEquals(ofType(events, "approval.requested").length, 1, "asked once");
    assertEquals(ofType(events, "permission.denied").length, 0);
    assertEquals(
      ofType(events, "approval.note").map((e) => e.note),
      ["expired", "used"],
    );
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed");
    assertContiguousSeq(events);
    // Every file still checks out: the snapshot is the fold of the log.
    await maosOk(["doctor"], { cwd: dir, env: box.env });
  });
});

Deno.test("real claude: --always holds across a resume: the next task's same call is not asked again", async () => {
  await withClaudeProject([], async (project) => {
    const { model, box, dir } = project;
    const plan = projectWithTest(dir, undefined, 2, 1);
    model.script(bash("node test.js"), say("Waiting for approval."));
    const { maos, id } = await start(project, plan);
    assertEquals((await maos.exit(60_000)).code, 130, maos.output());
    const granted = await maosOk(
      ["approval", "grant", id, "1", "--always"],
      { cwd: dir, env: box.env },
    );
    assertIncludes(granted.stdout, "always: Bash(node test.js)");

    model.script(
      bash("node test.js"),
      say("1 passing."),
      bash("node test.js"),
      say("1 passing again."),
    );
    const resumed = await maosOk(["orchestration", "resume", id], {
      cwd: dir,
      env: box.env,
    });
    assertEquals(ran(dir), 2, resumed.stdout + resumed.stderr);
    const events = readEvents(dir, id);
    assertEquals(ofType(events, "approval.requested").length, 1, "asked once");
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed");
    assertEquals(done.approvals?.[0].rule, "Bash(node test.js)");
  });
});

Deno.test("real claude: one agent waits for approval while another keeps working; a grant during the run lets it go on", async () => {
  // Each agent gets its own script: the two run at once.
  const queues: Record<string, Turn[]> = {
    "tester-001": [
      bash("node test.js"),
      say("Waiting for approval."),
      bash("node test.js"),
      say("1 passing."),
    ],
    "builder-001": [bash("sh build.sh"), say("Built.")],
  };
  await using model = await ModelStandin.start([], (request) => {
    const who = Object.keys(queues).find((id) =>
      systemText(request.body).includes(`You are ${id}`)
    );
    return who ? queues[who].shift() ?? say("done") : undefined;
  });
  await using box = await cliSandbox(model);
  const dir = box.project;
  projectWithTest(dir, undefined, 1, 1);
  // The builder's command waits for go.txt, so it is still working while the tester waits.
  fs.writeFileSync(
    path.join(dir, "build.sh"),
    "i=0; while [ ! -f go.txt ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; echo built > built.txt\n",
  );
  const plan = path.join(dir, "plan2.json");
  fs.writeFileSync(
    plan,
    JSON.stringify({
      agents: [
        { id: "tester-001", role: "tester", driver: "claude" },
        {
          id: "builder-001",
          role: "developer",
          driver: "claude",
          permissions: { allow: ["Bash(sh build.sh)"] },
        },
      ],
      tasks: [
        { id: "test", agent: "tester-001", title: "Run the tests" },
        { id: "build", agent: "builder-001", title: "Build" },
      ],
    }),
  );
  const maos = new MaosProcess(["orchestrate", "Test it", "--plan", plan], {
    cwd: dir,
    env: box.env,
  });
  const id = await waitForOrchestration(dir, maos);
  const taskIs = (task: string, status: string) =>
    readEvents(dir, id).some((e) =>
      e.type === "task.status" && e.task === task && e.status === status
    );
  await waitUntil(
    () => taskIs("test", "paused"),
    () => `the tester waits\n${maos.output()}`,
    60_000,
  );
  await waitUntil(
    () => maos.stdout.includes("✋ [tester-001] waiting for approval #1"),
    () => maos.output(),
  );
  assert(!taskIs("build", "completed"), "the builder is still at work");
  await maosOk(["approval", "grant", id, "1"], { cwd: dir, env: box.env });
  await waitUntil(
    () => taskIs("test", "completed"),
    () => `the tester goes on\n${maos.output()}`,
    60_000,
  );
  assertEquals(ran(dir), 1);
  assert(!taskIs("build", "completed"), "the builder was at work all along");
  fs.writeFileSync(path.join(dir, "go.txt"), "");
  const exit = await maos.exit(60_000);
  assertEquals(exit.code, 0, maos.output());
  assert(fs.existsSync(path.join(dir, "built.txt")));
  const done = await statusOf(dir, id, box.env);
  assertEquals(done.status, "completed");
  assertEquals(done.approvals?.map((a) => a.status), ["granted"]);
});
