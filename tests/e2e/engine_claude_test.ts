/**
 * The claude driver end to end, against tests/fixtures/fake-claude (a stand-in
 * for the Claude Code CLI whose behaviour FAKE_CLAUDE_MODE sets): the default
 * team, session ids and cost kept, resume with `--resume`, a lost session,
 * a missing binary.
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
  orchestrationDir,
  orchestrationIds,
  readEvents,
  runMaos,
  waitForOrchestration,
  waitUntil,
  withProject,
} from "./_engine_helpers.ts";
import type { OrchestrationStatus } from "../../lib/queries/queries.ts";

const FAKE_CLAUDE =
  new URL("../fixtures/fake-claude", import.meta.url).pathname;

function claudeEnv(dir: string, more: Record<string, string> = {}) {
  return {
    MAOS_CLAUDE_BIN: FAKE_CLAUDE,
    FAKE_CLAUDE_LOG: path.join(dir, "runs", "claude.log"),
    ...more,
  };
}

/** The planner's question (orchestrate without --plan asks Claude for one). */
const PLANNER_PROMPT = "Reply with ONLY a JSON object";

/** One line per run of the fake CLI (its argv): the agents' turns, or the planner's. */
function claudeRuns(dir: string, planner = false): string[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, "runs", "claude.log"), "utf8");
  } catch {
    return [];
  }
  return text.split("\n").filter((l) =>
    l !== "" && l.includes(PLANNER_PROMPT) === planner
  );
}

async function status(dir: string, id: string): Promise<OrchestrationStatus> {
  return (await maosOk(["--json", "orchestration", "status", id], {
    cwd: dir,
  })).json<OrchestrationStatus>();
}

/**
 * Start the default team with the fake CLI hanging after its first line,
 * wait until the analyst's session id is saved, then `kill -9` maos.
 */
async function crashWhileClaudeRuns(
  dir: string,
  session: string,
): Promise<string> {
  const maos = new MaosProcess(
    ["orchestrate", "Add login", "--driver", "claude"],
    {
      cwd: dir,
      env: claudeEnv(dir, {
        FAKE_CLAUDE_MODE: "hang",
        FAKE_CLAUDE_SESSION: session,
      }),
    },
  );
  const id = await waitForOrchestration(dir, maos);
  await waitUntil(
    () =>
      readEvents(dir, id).some((e) =>
        e.type === "agent.session" && e.sessionId === session
      ) &&
      fs.existsSync(
        path.join(orchestrationDir(dir, id), "agents", "analyst-001.jsonl"),
      ),
    () => `the analyst's session saved\n${maos.output()}`,
  );
  assert(liveAgentsOf(id).length > 0, "the fake CLI runs");
  maos.kill("SIGKILL");
  await maos.exit();
  // The hanging CLI would sleep 30 s: the watchdog ends it.
  await waitUntil(
    () => liveAgentsOf(id).length === 0,
    () => `the agents of ${id} to end: ${liveAgentsOf(id)}`,
    5_000,
  );
  return id;
}

Deno.test("claude driver: the default team runs analyst → developer → tester and keeps session ids and cost", async () => {
  await withProject(async (dir) => {
    const run = await maosOk(
      ["orchestrate", "Add login", "--driver", "claude"],
      {
        cwd: dir,
        env: claudeEnv(dir, {
          FAKE_CLAUDE_SESSION: "sess-team",
          FAKE_CLAUDE_COST: "0.25",
        }),
      },
    );
    // The fake planner answers in prose: the default team takes over.
    assertEquals(claudeRuns(dir, true).length, 1);
    assertIncludes(run.stderr, "using the default team");
    const [id] = orchestrationIds(dir);
    const done = await status(dir, id);
    assertEquals(done.status, "completed");
    assertEquals(
      done.agents.map((a) => [a.id, a.role, a.sessionId, a.cost]),
      [
        ["analyst-001", "analyst", "sess-team", 0.25],
        ["developer-001", "developer", "sess-team", 0.25],
        ["tester-001", "tester", "sess-team", 0.25],
      ],
    );
    // The three turns and the planner's request (in no agent's cost).
    assertEquals(done.cost, 1);
    assertEquals(done.plannerCost, 0.25);
    assertEquals([done.inputTokens, done.outputTokens], [400, 160]);
    const agents = (await maosOk(["--json", "agent", "list", id], {
      cwd: dir,
    })).json<{ id: string; sessionId: string | null; cost: number }[]>();
    assertEquals(agents.map((a) => a.sessionId), [
      "sess-team",
      "sess-team",
      "sess-team",
    ]);
    const runs = claudeRuns(dir);
    assertEquals(runs.length, 3);
    assert(runs.every((r) => !r.includes("--resume")), runs.join("\n"));
    // Each turn sees the discoveries of the ones before it.
    assertIncludes(runs[2], "the API has no auth");
    assertContiguousSeq(readEvents(dir, id));
  });
});

Deno.test("claude driver: one agent's three tasks in one session cost the sum of the three runs", async () => {
  await withProject(async (dir) => {
    const plan = path.join(dir, "plan.json");
    fs.writeFileSync(
      plan,
      JSON.stringify({
        agents: [{ id: "dev", role: "developer", driver: "claude" }],
        tasks: ["a", "b", "c"].map((id, i) => ({
          id,
          agent: "dev",
          title: `step ${id}`,
          dependsOn: i ? [["a", "b"][i - 1]] : [],
        })),
      }),
    );
    const run = await maosOk(["orchestrate", "Three steps", "--plan", plan], {
      cwd: dir,
      env: claudeEnv(dir, { FAKE_CLAUDE_COST: "0.0008" }),
    });
    assertIncludes(run.stdout, "$0.0024");
    const [id] = orchestrationIds(dir);
    const done = await status(dir, id);
    assertEquals(done.agents.map((a) => [a.cost, a.inputTokens]), [[
      0.0024,
      300,
    ]]);
    assertEquals(done.cost, 0.0024);
  });
});

Deno.test("claude driver: a paused run's cost is kept and the resumed run's is added to it", async () => {
  await withProject(async (dir) => {
    const maos = new MaosProcess(
      ["orchestrate", "Add login", "--driver", "claude", "--agents", "dev"],
      {
        cwd: dir,
        env: claudeEnv(dir, {
          FAKE_CLAUDE_MODE: "hang",
          FAKE_CLAUDE_SESSION: "sess-p",
          FAKE_CLAUDE_COST: "0.0011",
        }),
      },
    );
    const id = await waitForOrchestration(dir, maos);
    await waitUntil(
      () =>
        fs.existsSync(
          path.join(orchestrationDir(dir, id), "agents", "dev-001.jsonl"),
        ),
      () => `the agent's first output\n${maos.output()}`,
    );
    maos.kill("SIGINT");
    assertEquals((await maos.exit()).code, 130, maos.output());
    const paused = await status(dir, id);
    // The interrupted invocation reported its cost (as the real CLI does).
    assertEquals(paused.agents[0].cost, 0.0011);

    await maosOk(["orchestration", "resume", id], {
      cwd: dir,
      env: claudeEnv(dir, { FAKE_CLAUDE_COST: "0.0013" }),
    });
    const done = await status(dir, id);
    assertEquals(done.status, "completed");
    assertEquals(done.agents[0].cost, 0.0024);
    assertEquals(done.agents[0].outputTokens, 80);
    assertIncludes(claudeRuns(dir)[1], "--resume sess-p");
  });
});

Deno.test("claude driver: after kill -9 the interrupted agent resumes its saved session with --resume", async () => {
  await withProject(async (dir) => {
    const id = await crashWhileClaudeRuns(dir, "sess-hang-1");
    assertEquals(claudeRuns(dir).length, 1);

    // Without the CLI, resume fails cleanly and changes nothing.
    const log = fs.readFileSync(
      path.join(orchestrationDir(dir, id), "events.jsonl"),
    );
    const missing = await runMaos(["orchestration", "resume", id], {
      cwd: dir,
      env: { MAOS_CLAUDE_BIN: "/nonexistent/claude" },
    });
    assertEquals(missing.code, 1, missing.stderr);
    assertIncludes(missing.stderr, "not found");
    assertEquals(
      fs.readFileSync(path.join(orchestrationDir(dir, id), "events.jsonl")),
      log,
    );

    const resumed = await maosOk(["orchestration", "resume", id], {
      cwd: dir,
      env: claudeEnv(dir, { FAKE_CLAUDE_SESSION: "sess-new" }),
    });
    assertIncludes(resumed.stdout, "[analyst-001]: Continuing");
    const runs = claudeRuns(dir);
    assertEquals(runs.length, 4, runs.join("\n"));
    assertIncludes(runs[1], "--resume sess-hang-1");
    // Told it was interrupted, with what it had said before the crash.
    assertIncludes(runs[1], "You were interrupted");
    assertIncludes(runs[1], "Starting on it");
    assert(!runs[2].includes("--resume"), runs[2]);
    const done = await status(dir, id);
    assertEquals(done.status, "completed");
    assertEquals(done.agents.map((a) => a.sessionId), [
      "sess-hang-1",
      "sess-new",
      "sess-new",
    ]);
    assertContiguousSeq(readEvents(dir, id));
  });
});

Deno.test("claude driver: a session the CLI does not know falls back to a fresh one and says so", async () => {
  await withProject(async (dir) => {
    const id = await crashWhileClaudeRuns(dir, "lost-session-1");
    const resumed = await maosOk(["orchestration", "resume", id], {
      cwd: dir,
      env: claudeEnv(dir, {
        FAKE_CLAUDE_MODE: "unknown_session",
        FAKE_CLAUDE_SESSION: "fresh-1",
      }),
    });
    assertIncludes(
      resumed.stderr,
      "session lost-session-1 not found here; starting a fresh session",
    );
    const runs = claudeRuns(dir);
    assertIncludes(runs[1], "--resume lost-session-1");
    assert(!runs[2].includes("--resume"), runs[2]);
    assertIncludes(runs[2], "You were interrupted");
    const done = await status(dir, id);
    assertEquals(done.status, "completed");
    assertEquals(done.agents[0].sessionId, "fresh-1");
    assertContiguousSeq(readEvents(dir, id));
  });
});

Deno.test("claude driver: a missing binary is one clear error, exit 1, and no orchestration", async () => {
  await withProject(async (dir) => {
    const run = await runMaos([
      "orchestrate",
      "Add login",
      "--driver",
      "claude",
    ], {
      cwd: dir,
      env: { MAOS_CLAUDE_BIN: "/nonexistent/claude" },
    });
    // Exit 1 (not 2): nothing is wrong with the command line; the
    // environment lacks a program, like any other failed run.
    assertEquals(run.code, 1, run.stderr);
    assertEquals(run.stdout, "");
    const lines = run.stderr.trimEnd().split("\n");
    assertEquals(
      lines[0],
      "maos: Claude Code (`/nonexistent/claude`) not found; install it or set MAOS_CLAUDE_BIN",
    );
    assert(
      lines.length <= 2 &&
        (lines.length === 1 || lines[1].startsWith("hint: ")),
      run.stderr,
    );
    assert(!/\bat .*:\d+:\d+/.test(run.stderr), "no stack trace");
    assertEquals(orchestrationIds(dir), []);
  });
});
