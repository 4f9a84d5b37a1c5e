/**
 * Pause (Ctrl-C), crash (kill -9) and resume with the real Claude Code,
 * while the model stand-in hangs mid-turn: the same Claude session goes on,
 * and the resumed turn sends the earlier conversation again.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assert,
  assertContiguousSeq,
  assertEquals,
  assertIncludes,
  liveAgentsOf,
  maosOk,
  MaosProcess,
  readEvents,
  waitForOrchestration,
  waitUntil,
} from "./_engine_helpers.ts";
import {
  conversation,
  lastUserText,
  say,
  stall,
  stallMidStream,
} from "../../standin/mod.ts";
import {
  type ClaudeProject,
  sessionOf,
  statusOf,
  withClaudeProject,
} from "../agents/_maos_claude.ts";

/** One claude agent with one task. */
function onePlan(dir: string): string {
  const file = path.join(dir, "plan.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      agents: [{
        id: "dev-001",
        role: "developer",
        driver: "claude",
        instructions: "",
      }],
      tasks: [{ id: "build", agent: "dev-001", title: "Build the thing" }],
    }),
  );
  return file;
}

/**
 * Start maos on the one-task plan and wait until Claude's request hangs at
 * the stand-in and maos has saved the session id; the maos process, the
 * orchestration id and the session.
 */
async function startHanging(
  { model, box, dir }: ClaudeProject,
): Promise<{ maos: MaosProcess; id: string; session: string }> {
  const maos = new MaosProcess(
    ["orchestrate", "Build it", "--plan", onePlan(dir)],
    { cwd: dir, env: box.env },
  );
  const id = await waitForOrchestration(dir, maos);
  await model.waitForTurns(1);
  const session = sessionOf(model.turns()[0]);
  await waitUntil(
    () =>
      readEvents(dir, id).some((e) =>
        e.type === "agent.session" && e.sessionId === session
      ),
    () => `session ${session} saved\n${maos.output()}`,
  );
  return { maos, id, session };
}

/** The resumed turn: same session, the first prompt sent again as history. */
function assertResumedTurn(project: ClaudeProject, session: string): void {
  const turns = project.model.turns();
  const resumed = turns.at(-1)!;
  assertEquals(sessionOf(resumed), session);
  const history = conversation(resumed.body);
  const firstPrompt = lastUserText(turns[0].body);
  assertIncludes(firstPrompt, "Your task (build): Build the thing");
  assert(
    history.slice(0, -1).some((m) => m.text.includes(firstPrompt.trim())),
    `the first prompt is in the resumed history:\n${JSON.stringify(history)}`,
  );
}

Deno.test("real claude: Ctrl-C mid-turn pauses; resume goes on in the same session with its history", async () => {
  await withClaudeProject(
    [stallMidStream(120_000, say("Half of it"))],
    async (project) => {
      const { model, box, dir } = project;
      const { maos, id, session } = await startHanging(project);
      maos.kill("SIGINT");
      const exit = await maos.exit();
      assertEquals(exit.code, 130, maos.output());
      const paused = await statusOf(dir, id, box.env);
      assertEquals(paused.status, "paused");
      assertEquals(paused.agents[0].sessionId, session);

      model.script(say("Built it after the pause."));
      const resumed = await maosOk(["orchestration", "resume", id], {
        cwd: dir,
        env: box.env,
      });
      const done = await statusOf(dir, id, box.env);
      assertEquals(done.status, "completed", resumed.stdout + resumed.stderr);
      assertEquals(done.agents[0].sessionId, session);
      assertEquals(model.turns().length, 2);
      assertResumedTurn(project, session);
      assertContiguousSeq(readEvents(dir, id));
    },
  );
});

Deno.test("real claude: kill -9 of maos mid-turn ends the agent within 5 s; resume completes in the same session", async () => {
  await withClaudeProject([stall(120_000)], async (project) => {
    const { model, box, dir } = project;
    const { maos, id, session } = await startHanging(project);
    assert(liveAgentsOf(id).length > 0, "claude runs");
    maos.kill("SIGKILL");
    await maos.exit();
    await waitUntil(
      () => liveAgentsOf(id).length === 0,
      () => `the agents of ${id} to end: ${liveAgentsOf(id)}`,
      5_000,
    );
    const crashed = await statusOf(dir, id, box.env);
    assertEquals(crashed.status, "interrupted");

    model.script(say("Built it after the crash."));
    const resumed = await maosOk(["orchestration", "resume", id], {
      cwd: dir,
      env: box.env,
    });
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed", resumed.stdout + resumed.stderr);
    assertEquals(done.agents[0].sessionId, session);
    assertResumedTurn(project, session);
    assertContiguousSeq(readEvents(dir, id));
  });
});
