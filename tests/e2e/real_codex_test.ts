/**
 * maos driving the real Codex CLI (0.169.0) against the model stand-in: a
 * whole orchestration with tokens and prices, Ctrl-C then resume on the same
 * thread, a thread Codex no longer has, a refused key, a missing binary.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assert,
  assertContiguousSeq,
  assertEquals,
  assertIncludes,
  driverPlan,
  liveAgentsOf,
  maosOk,
  MaosProcess,
  orchestrationIds,
  readEvents,
  runMaos,
  waitForOrchestration,
  waitUntil,
} from "./_engine_helpers.ts";
import {
  codexExec,
  fail,
  responsesInput,
  say,
  stall,
  stallMidStream,
  type Turn,
} from "../../standin/mod.ts";
import { ModelStandin } from "../../standin/server.ts";
import { type CliSandbox, cliSandbox } from "../agents/_real_cli.ts";
import { statusOf } from "../agents/_maos_claude.ts";

interface CodexProject {
  model: ModelStandin;
  box: CliSandbox;
  dir: string;
}

async function withCodexProject(
  turns: Turn[],
  fn: (project: CodexProject) => Promise<void>,
): Promise<void> {
  await using model = await ModelStandin.start(turns);
  await using box = await cliSandbox(model);
  await fn({ model, box, dir: box.project });
}

/** A plan file of codex agents: [agent, task, dependsOn?] rows. */
function codexPlan(dir: string, tasks: [string, string, string?][]): string {
  return driverPlan(dir, "codex", tasks);
}

/** The text of every input item of a Responses request, joined. */
function inputText(body: unknown): string {
  return responsesInput(body).map((i) => i.text).join("\n");
}

Deno.test("real codex: a whole orchestration — threads kept, messages delivered, tokens per run (not the thread's running total), priced from maos.json", async () => {
  await withCodexProject([
    say(
      "Looked at it\n::maos::discovery:: the API has no auth\n::maos::progress:: 50\nAnalysis done",
      { input: 100, output: 10 },
    ),
    codexExec("echo built > built.txt", { input: 200, output: 20 }),
    say("Built it", { input: 300, output: 30 }),
    say("Polished\n::maos::progress:: 100", { input: 400, output: 40 }),
  ], async ({ model, box, dir }) => {
    await maosOk(["init"], { cwd: dir, env: box.env });
    const configFile = path.join(dir, ".maos", "maos.json");
    const config = JSON.parse(fs.readFileSync(configFile, "utf8"));
    config.drivers.codex = { pricing: { inputPerMTok: 1, outputPerMTok: 10 } };
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2) + "\n");

    const plan = codexPlan(dir, [
      ["analyst", "analyze"],
      ["dev", "build", "analyze"],
      ["dev", "polish", "build"],
    ]);
    const run = await maosOk(["orchestrate", "Add auth", "--plan", plan], {
      cwd: dir,
      env: box.env,
    });
    assertEquals(
      fs.readFileSync(path.join(dir, "built.txt"), "utf8"),
      "built\n",
    );
    // Summaries and the final line carry no control lines.
    assert(!run.stdout.includes("::maos::"), run.stdout);
    assertIncludes(run.stdout, "Analysis done");
    assertIncludes(run.stdout, "$0.0020 · 1.0k in / 100 out tokens");

    const [id] = orchestrationIds(dir);
    const events = readEvents(dir, id);
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed");
    const threads = done.agents.map((a) => a.sessionId);
    assert(
      threads.every((t) => t && /^[0-9a-f-]{36}$/.test(t)),
      threads.join(),
    );
    assert(threads[0] !== threads[1]);
    // dev's second task resumed its thread, whose counters then said
    // 900/90: only the 400/40 of that run is added.
    assertEquals(
      done.agents.map((a) => [a.id, a.inputTokens, a.outputTokens, a.cost]),
      [["analyst", 100, 10, 0.0002], ["dev", 900, 90, 0.0018]],
    );
    assertEquals([done.inputTokens, done.outputTokens, done.cost], [
      1000,
      100,
      0.002,
    ]);
    const turns = model.turns();
    assertEquals(turns.length, 4);
    // The discovery reached dev's first prompt; its second run resumed the thread.
    assertIncludes(inputText(turns[1].body), "the API has no auth");
    assertIncludes(inputText(turns[3].body), "Built it");
    assertIncludes(inputText(turns[3].body), "Your task (polish)");
    assert(
      events.some((e) =>
        e.type === "message" && e.from === "analyst" &&
        e.content === "the API has no auth"
      ),
    );
    const agents = (await maosOk(["agent", "list"], {
      cwd: dir,
      env: box.env,
    })).stdout;
    assertIncludes(agents, "900 in / 90 out");
  });
});

Deno.test("real codex: Ctrl-C mid-turn pauses; resume goes on in the same thread with its history", async () => {
  await withCodexProject(
    [stallMidStream(120_000, say("Half of it"))],
    async ({ model, box, dir }) => {
      const maos = new MaosProcess(
        [
          "orchestrate",
          "Build it",
          "--plan",
          codexPlan(dir, [["dev", "build"]]),
        ],
        { cwd: dir, env: box.env },
      );
      const id = await waitForOrchestration(dir, maos);
      await model.waitForTurns(1);
      await waitUntil(
        () => readEvents(dir, id).some((e) => e.type === "agent.session"),
        () => `the thread id saved\n${maos.output()}`,
      );
      maos.kill("SIGINT");
      assertEquals((await maos.exit()).code, 130, maos.output());
      const paused = await statusOf(dir, id, box.env);
      assertEquals(paused.status, "paused");
      const thread = paused.agents[0].sessionId;
      assert(thread, "the thread id is kept");

      model.script(say("Finished after the pause", { input: 70, output: 7 }));
      const resumed = await maosOk(["orchestration", "resume", id], {
        cwd: dir,
        env: box.env,
      });
      assertIncludes(resumed.stdout, "[dev]: Continuing");
      const done = await statusOf(dir, id, box.env);
      assertEquals(done.status, "completed");
      assertEquals(done.agents[0].sessionId, thread);
      const last = model.turns().at(-1)!;
      const history = inputText(last.body);
      assertIncludes(history, "Your task (build)");
      assertIncludes(history, "You were interrupted");
      // The interrupted run reported no usage (Codex prints none when stopped).
      assertEquals([done.inputTokens, done.outputTokens], [70, 7]);
      assertContiguousSeq(readEvents(dir, id));
    },
  );
});

Deno.test("real codex: kill -9 of maos mid-turn ends codex within 5 s; resume completes in the same thread", async () => {
  await withCodexProject([stall(120_000)], async ({ model, box, dir }) => {
    const maos = new MaosProcess(
      ["orchestrate", "Build it", "--plan", codexPlan(dir, [["dev", "build"]])],
      { cwd: dir, env: box.env },
    );
    const id = await waitForOrchestration(dir, maos);
    await model.waitForTurns(1);
    await waitUntil(
      () => readEvents(dir, id).some((e) => e.type === "agent.session"),
      () => `the thread id saved\n${maos.output()}`,
    );
    assert(liveAgentsOf(id).length > 0, "codex runs");
    maos.kill("SIGKILL");
    await maos.exit();
    await waitUntil(
      () => liveAgentsOf(id).length === 0,
      () => `the agents of ${id} to end: ${liveAgentsOf(id)}`,
      5_000,
    );
    const crashed = await statusOf(dir, id, box.env);
    assertEquals(crashed.status, "interrupted");
    const thread = crashed.agents[0].sessionId;

    model.script(say("Built it after the crash."));
    await maosOk(["orchestration", "resume", id], { cwd: dir, env: box.env });
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed");
    assertEquals(done.agents[0].sessionId, thread);
    assertIncludes(
      inputText(model.turns().at(-1)!.body),
      "Your task (build)",
    );
    assertContiguousSeq(readEvents(dir, id));
  });
});

Deno.test("real codex: a thread Codex no longer has falls back to a fresh one with the saved output, and says so", async () => {
  await withCodexProject(
    [stallMidStream(120_000, say("Half of it"))],
    async ({ model, box, dir }) => {
      const maos = new MaosProcess(
        [
          "orchestrate",
          "Build it",
          "--plan",
          codexPlan(dir, [["dev", "build"]]),
        ],
        { cwd: dir, env: box.env },
      );
      const id = await waitForOrchestration(dir, maos);
      await model.waitForTurns(1);
      await waitUntil(
        () => readEvents(dir, id).some((e) => e.type === "agent.session"),
        () => `the thread id saved\n${maos.output()}`,
      );
      maos.kill("SIGINT");
      assertEquals((await maos.exit()).code, 130, maos.output());
      const thread = (await statusOf(dir, id, box.env)).agents[0].sessionId;
      // Another machine, or a wiped ~/.codex: the thread's rollout is gone.
      fs.rmSync(path.join(box.codexHome, "sessions"), {
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
        `session ${thread} not found here; starting a fresh session`,
      );
      const done = await statusOf(dir, id, box.env);
      assertEquals(done.status, "completed");
      assert(done.agents[0].sessionId && done.agents[0].sessionId !== thread);
      assertIncludes(
        inputText(model.turns().at(-1)!.body),
        "You were interrupted",
      );
    },
  );
});

Deno.test("real codex: a refused key (401) is one clear line, not a stack trace or retries", async () => {
  await withCodexProject([], async ({ model, box, dir }) => {
    model.outage = fail(401);
    const run = await runMaos(
      ["orchestrate", "Build it", "--plan", codexPlan(dir, [["dev", "build"]])],
      { cwd: dir, env: box.env },
    );
    assertEquals(run.code, 1, run.stdout + run.stderr);
    const all = run.stdout + run.stderr;
    assertIncludes(all, "Codex's API key was refused (401 Unauthorized)");
    assert(!all.includes("Reconnecting"), all);
    assert(!/\bat .*:\d+:\d+/.test(all), `stack trace:\n${all}`);
    assertEquals(
      all.split("\n").filter((l) => l.includes("401")).length,
      1,
      all,
    );
  });
});

Deno.test("codex driver: a missing binary is one clear line, exit 1, and no orchestration", async () => {
  const dir = await Deno.makeTempDir({ prefix: "maos-codex-missing-" });
  try {
    const run = await runMaos(
      ["orchestrate", "Build it", "--plan", codexPlan(dir, [["dev", "build"]])],
      { cwd: dir, env: { MAOS_CODEX_BIN: "/nonexistent/codex" } },
    );
    assertEquals(run.code, 1, run.stderr);
    assertEquals(
      run.stderr.split("\n")[0],
      "maos: Codex CLI (`/nonexistent/codex`) not found; install it (npm install -g @openai/codex) or set MAOS_CODEX_BIN",
    );
    assert(!fs.existsSync(path.join(dir, ".maos")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
