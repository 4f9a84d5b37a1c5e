/**
 * The real Gemini CLI paused, crashed and resumed by maos: Ctrl-C mid-turn
 * then resume in the same session (its history sent again), kill -9 of
 * maos then resume, and a session the CLI no longer has.
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
import { say, stall, stallMidStream } from "../../standin/mod.ts";
import type { ModelStandin } from "../../standin/server.ts";
import type { CliSandbox } from "../agents/_real_cli.ts";
import { statusOf } from "../agents/_maos_claude.ts";
import { geminiPlan, promptText, withGeminiProject } from "./_gemini.ts";

/** Start `orchestrate` with one gemini agent and wait until its session id is saved. */
async function startBuild(
  model: ModelStandin,
  box: CliSandbox,
  dir: string,
): Promise<{ maos: MaosProcess; id: string }> {
  const maos = new MaosProcess(
    ["orchestrate", "Build it", "--plan", geminiPlan(dir, [["dev", "build"]])],
    { cwd: dir, env: box.env },
  );
  const id = await waitForOrchestration(dir, maos);
  await model.waitForTurns(1);
  await waitUntil(
    () => readEvents(dir, id).some((e) => e.type === "agent.session"),
    () => `the session id saved\n${maos.output()}`,
  );
  return { maos, id };
}

/** startBuild, then Ctrl-C: maos exits 130 with the orchestration paused; its session id. */
async function pauseBuild(
  model: ModelStandin,
  box: CliSandbox,
  dir: string,
): Promise<{ id: string; session: string | null | undefined }> {
  const { maos, id } = await startBuild(model, box, dir);
  maos.kill("SIGINT");
  assertEquals((await maos.exit()).code, 130, maos.output());
  const paused = await statusOf(dir, id, box.env);
  assertEquals(paused.status, "paused");
  return { id, session: paused.agents[0].sessionId };
}

Deno.test("real gemini: Ctrl-C mid-turn pauses; resume goes on in the same session with its history sent again", async () => {
  await withGeminiProject(
    [stallMidStream(120_000, say("Half of it"))],
    async ({ model, box, dir }) => {
      const { id, session } = await pauseBuild(model, box, dir);
      assert(session, "the session id is kept");

      model.script(say("Finished after the pause", { input: 70, output: 7 }));
      const resumed = await maosOk(["orchestration", "resume", id], {
        cwd: dir,
        env: box.env,
      });
      assertIncludes(resumed.stdout, "[dev]: Continuing");
      const done = await statusOf(dir, id, box.env);
      assertEquals(done.status, "completed");
      assertEquals(done.agents[0].sessionId, session);
      // The resumed run sent the first prompt again (the session's history)
      // and the note of what had been done.
      const history = promptText(model.turns().at(-1)!.body);
      assertIncludes(history, "Your task (build)");
      assertIncludes(history, "You were interrupted");
      assertEquals(
        history.split("The team's request: Build it").length - 1,
        2,
        history,
      );
      assertContiguousSeq(readEvents(dir, id));
    },
  );
});

Deno.test("real gemini: kill -9 of maos mid-turn ends the CLI within 5 s; resume completes in the same session", async () => {
  await withGeminiProject([stall(120_000)], async ({ model, box, dir }) => {
    const { maos, id } = await startBuild(model, box, dir);
    assert(liveAgentsOf(id).length > 0, "gemini runs");
    maos.kill("SIGKILL");
    await maos.exit();
    await waitUntil(
      () => liveAgentsOf(id).length === 0,
      () => `the agents of ${id} to end: ${liveAgentsOf(id)}`,
      5_000,
    );
    const crashed = await statusOf(dir, id, box.env);
    assertEquals(crashed.status, "interrupted");
    const session = crashed.agents[0].sessionId;
    assert(session, "the session id was saved before the crash");

    model.script(say("Built it after the crash."));
    await maosOk(["orchestration", "resume", id], { cwd: dir, env: box.env });
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed");
    assertEquals(done.agents[0].sessionId, session);
    assertIncludes(promptText(model.turns().at(-1)!.body), "Your task (build)");
    assertContiguousSeq(readEvents(dir, id));
  });
});

Deno.test("real gemini: a session the CLI no longer has (exit 42) falls back to a fresh one told what was done, and says so", async () => {
  await withGeminiProject(
    [stallMidStream(120_000, say("Half of it"))],
    async ({ model, box, dir }) => {
      const { id, session } = await pauseBuild(model, box, dir);
      // Another machine, or a removed home: the session files are gone.
      const home = path.join(dir, ".maos", "worktrees", id, "_gemini", "dev");
      fs.rmSync(path.join(home, ".gemini", "tmp"), {
        recursive: true,
        force: true,
      });

      model.script(say("Done afresh"));
      const resumed = await maosOk(["orchestration", "resume", id], {
        cwd: dir,
        env: box.env,
      });
      assertIncludes(
        resumed.stderr,
        `session ${session} not found here; starting a fresh session`,
      );
      const done = await statusOf(dir, id, box.env);
      assertEquals(done.status, "completed");
      assert(done.agents[0].sessionId && done.agents[0].sessionId !== session);
      assertIncludes(
        promptText(model.turns().at(-1)!.body),
        "You were interrupted",
      );
    },
  );
});
