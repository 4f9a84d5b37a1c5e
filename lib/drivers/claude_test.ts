import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "./_test_assert.ts";
import { MaosError } from "../../store/errors.ts";
import {
  claudeArgs,
  ClaudeDriver,
  MAX_ARGV_PROMPT_BYTES,
  NOT_LOGGED_IN,
} from "./claude.ts";
import { maosCommand } from "./maos_self.ts";
import type { DriverEvent, TaskRun } from "./driver.ts";
import { FIXTURES, makeRun, outputs } from "./_test_helpers.ts";

const FAKE = `${FIXTURES}fake-claude`;

/** Run the driver against the fake CLI in `mode`; returns result, events and the argv log. */
async function runFake(
  mode: string,
  overrides: Partial<TaskRun> = {},
  prepare?: (r: ReturnType<typeof makeRun>) => void,
) {
  const log = Deno.makeTempFileSync();
  const r = makeRun({
    env: { FAKE_CLAUDE_MODE: mode, FAKE_CLAUDE_LOG: log },
    ...overrides,
  });
  prepare?.(r);
  try {
    const result = await new ClaudeDriver({ bin: FAKE, graceMs: 500 }).run(
      r.run,
    );
    return {
      result,
      events: r.events,
      argv: Deno.readTextFileSync(log).trim().split("\n"),
    };
  } finally {
    Deno.removeSync(log);
  }
}

Deno.test("a successful run completes with the result text (without its ::maos:: lines) and the session id comes first", async () => {
  const { result, events } = await runFake("success");
  assertEquals(result, {
    status: "completed",
    summary: "All done: added auth",
  });
  assertEquals(events.filter((e) => e.type !== "activity")[0], {
    type: "session",
    sessionId: "sess-0001",
  });
  assertEquals(events.filter((e) => e.type === "session").length, 1);
});

Deno.test("assistant text is output, its maos lines are messages and progress", async () => {
  const { events } = await runFake("success");
  assert(
    events.some((e) =>
      e.type === "message" && e.kind === "discovery" &&
      e.content === "the API has no auth"
    ),
  );
  assert(events.some((e) => e.type === "progress" && e.percent === 50));
  const lines = outputs(events);
  assert(lines.includes("Looking at the code"));
  assert(lines.includes('[tool] Bash {"command":"ls"}'));
  assert(lines.includes("not json at all"), "a non-JSON line is output");
  assert(
    !lines.some((l) => l.includes("tool_result") || l.includes("stream_event")),
  );
});

/**
 * The CLI's own figures among the usage events (the estimates streamed
 * before are checked to be exactly what the figure takes back).
 */
function exactUsage(events: DriverEvent[]) {
  const usage = events.filter((e) => e.type === "usage");
  let streamed = { costUsd: 0, inputTokens: 0, outputTokens: 0 };
  const exact = [];
  for (const e of usage) {
    if (e.estimated) {
      streamed = {
        costUsd: streamed.costUsd + (e.costUsd ?? 0),
        inputTokens: streamed.inputTokens + e.inputTokens,
        outputTokens: streamed.outputTokens + e.outputTokens,
      };
      continue;
    }
    assertEquals(e.replaces, streamed);
    streamed = { costUsd: 0, inputTokens: 0, outputTokens: 0 };
    exact.push({
      costUsd: e.costUsd,
      inputTokens: e.inputTokens,
      outputTokens: e.outputTokens,
    });
  }
  return exact;
}

Deno.test("the result's cost and tokens are recorded once, as this invocation's", async () => {
  const { events } = await runFake("success", {
    env: { FAKE_CLAUDE_MODE: "success", FAKE_CLAUDE_COST: "0.4321" },
  });
  assertEquals(exactUsage(events), [{
    costUsd: 0.4321,
    inputTokens: 100,
    outputTokens: 40,
  }]);
});

Deno.test("the argv follows the protocol: -p, stream-json, --verbose, role, permission mode", async () => {
  const { argv } = await runFake("success");
  assertEquals(argv.length, 1);
  assertStringIncludes(argv[0], "-p The team's request: Make a thing");
  assertStringIncludes(argv[0], "--output-format stream-json --verbose");
  assertStringIncludes(
    argv[0],
    "--append-system-prompt You are developer-001, the developer",
  );
  assertStringIncludes(argv[0], "--permission-mode acceptEdits");
  assert(!argv[0].includes("--resume"));
  // The prompt names the MCP tools, not a command Claude would refuse.
  assertStringIncludes(argv[0], "send_message");
  assert(!argv[0].includes("or run: maos message send"));
});

Deno.test("a recorded session is resumed with --resume", async () => {
  const { result, argv, events } = await runFake("success", {
    sessionId: "sess-42",
  });
  assertStringIncludes(argv[0], "--resume sess-42");
  assertEquals(result.status, "completed");
  assertEquals(events.filter((e) => e.type !== "activity")[0], {
    type: "session",
    sessionId: "sess-42",
  });
});

Deno.test("a session the CLI does not know is reported as sessionLost", async () => {
  const { result, events } = await runFake("unknown_session", {
    sessionId: "lost-123",
  });
  assertEquals(result.status, "failed");
  assertEquals(result.sessionLost, true);
  assertStringIncludes(result.summary, "lost-123");
  // The error result names a fresh, empty session: it must not be recorded.
  assert(!events.some((e) => e.type === "session"));
});

Deno.test("no login fails with a clear summary", async () => {
  const { result } = await runFake("not_logged_in");
  assertEquals(result, { status: "failed", summary: NOT_LOGGED_IN });
});

Deno.test("a run Claude ended at its --max-budget-usd is stopped (resumable), not failed, and its cost recorded", async () => {
  const { result, events } = await runFake("error_result");
  assertEquals(result, {
    status: "stopped",
    summary: "stopped at the budget; session sess-0001 kept",
    budgetReached: true,
  });
  assert(events.some((e) => e.type === "usage" && e.costUsd === 0.0123));
  assert(!result.sessionLost);
});

Deno.test("a missing binary is a MaosError that says how to fix it", async () => {
  const { run } = makeRun();
  const err = await assertRejects(() =>
    new ClaudeDriver({ bin: "maos-no-such-claude" }).run(run)
  );
  assert(err instanceof MaosError);
  assertEquals(
    err.message,
    "Claude Code (`maos-no-such-claude`) not found; install it or set MAOS_CLAUDE_BIN",
  );
});

Deno.test("MAOS_CLAUDE_BIN chooses the binary", async () => {
  Deno.env.set("MAOS_CLAUDE_BIN", FAKE);
  try {
    const { run } = makeRun({ env: { FAKE_CLAUDE_MODE: "success" } });
    assertEquals((await new ClaudeDriver().run(run)).status, "completed");
  } finally {
    Deno.env.delete("MAOS_CLAUDE_BIN");
  }
});

Deno.test("killed mid-run, the task is stopped and its session id was kept", async () => {
  const { result, events } = await runFake("hang", {}, (r) => {
    const emit = r.run.emit;
    r.run.emit = (e) => {
      emit(e);
      if (e.type === "output") r.kill.abort();
    };
  });
  assertEquals(result.status, "stopped");
  assertStringIncludes(result.summary, "sess-0001");
  assertEquals(events.filter((e) => e.type !== "activity")[0], {
    type: "session",
    sessionId: "sess-0001",
  });
});

Deno.test("a stop request ends a hanging run promptly, and the interrupted run's cost is recorded", async () => {
  const started = Date.now();
  const events: DriverEvent[] = [];
  const { result } = await runFake("hang", {}, (r) => {
    r.run.emit = (e) => {
      events.push(e);
      if (e.type === "output") r.stop.abort();
    };
  });
  assertEquals(result.status, "stopped");
  assert(Date.now() - started < 2000);
  assertEquals(exactUsage(events), [
    { costUsd: 0.0123, inputTokens: 100, outputTokens: 40 },
  ]);
});

Deno.test("a run that dies without a result fails and names how it ended", async () => {
  const { result, events } = await runFake("hang", {}, (r) => {
    const emit = r.run.emit;
    r.run.emit = (e) => {
      emit(e);
      if (e.type === "output") Deno.kill(r.pids[0], "SIGKILL");
    };
  });
  assertEquals(result.status, "failed");
  assertStringIncludes(result.summary, "killed by SIGKILL before finishing");
  // No result line: the streamed usage was counted as it came, priced by
  // maos (the default model's list price: $5 in, $25 out per million).
  assertEquals(events.filter((e) => e.type === "usage"), [
    {
      type: "usage",
      costUsd: 0.000525,
      inputTokens: 100,
      outputTokens: 1,
      estimated: true,
    },
  ]);
  assertEquals(exactUsage(events), []);
});

Deno.test("a prompt too big for argv goes on stdin", async () => {
  const big = "x".repeat(MAX_ARGV_PROMPT_BYTES + 10);
  const { result, events, argv } = await runFake("success", { request: big });
  assertEquals(result.status, "completed");
  assert(argv[0].startsWith("-p --output-format"));
  const chars = outputs(events).find((l) => l.startsWith("prompt-chars: "));
  assert(Number(chars?.slice(14)) > MAX_ARGV_PROMPT_BYTES);
});

Deno.test("claude gets maos mcp as an MCP server for this agent, and only its tools (and maos message send) allowed", () => {
  const { run } = makeRun({
    env: {
      MAOS_DIR: "/p/.maos",
      MAOS_ORCHESTRATION_ID: "0123456789ab",
      MAOS_AGENT_ID: "developer-001",
      MAOS_TASK_ID: "t1",
    },
  });
  const args = claudeArgs(run, {}, "Do it");
  const config = JSON.parse(args[args.indexOf("--mcp-config") + 1]);
  const self = maosCommand();
  assertEquals(config.mcpServers.maos, {
    type: "stdio",
    command: self[0],
    args: [...self.slice(1), "mcp"],
    env: { ...run.env, MAOS_PERMISSION_PROMPT: "1" },
    alwaysLoad: true,
  });
  assertEquals(
    args[args.indexOf("--allowedTools") + 1],
    "mcp__maos__send_message,mcp__maos__read_messages," +
      "mcp__maos__report_progress,Bash(maos message send:*)",
  );
});

Deno.test("an agent's permissions map onto claude: its rules after maos's tools, its denials, its mode, and the permission-prompt tool", () => {
  const { run } = makeRun({
    permissions: {
      allow: ["Bash(node test.js)", "Edit"],
      deny: ["WebFetch"],
      mode: "default",
    },
  });
  const args = claudeArgs(run, { permissionMode: "acceptEdits" }, "Do it");
  const value = (flag: string) => args[args.indexOf(flag) + 1];
  assertEquals(
    value("--allowedTools"),
    "mcp__maos__send_message,mcp__maos__read_messages," +
      "mcp__maos__report_progress,Bash(maos message send:*)," +
      "Bash(node test.js),Edit",
  );
  assertEquals(value("--disallowedTools"), "WebFetch");
  assertEquals(value("--permission-mode"), "default");
  assertEquals(
    value("--permission-prompt-tool"),
    "mcp__maos__permission_prompt",
  );
  // Without an agent mode, the driver's setting (maos.json) stays.
  const plain = claudeArgs(makeRun().run, { permissionMode: "plan" }, "x");
  assertEquals(plain[plain.indexOf("--permission-mode") + 1], "plan");
  assertEquals(plain.includes("--disallowedTools"), false);
});
