import { assert, assertEquals } from "./_test_assert.ts";
import { CodexStream } from "./codex_stream.ts";
import type { DriverEvent } from "./driver.ts";

// Lines as `codex exec --json` 0.169.0 printed them against a local model
// server (a run, its resume, a 401, a missing API key variable).
const REAL = {
  thread:
    '{"type":"thread.started","thread_id":"01a2353f-fb6f-7483-86b3-d657b6c2042b"}',
  warning:
    '{"type":"item.completed","item":{"id":"item_0","type":"error","message":"Model metadata for `gpt-test` not found. Defaulting to fallback metadata; this can degrade performance and cause issues."}}',
  turn: '{"type":"turn.started"}',
  message:
    '{"type":"item.completed","item":{"id":"item_1","type":"agent_message","text":"Hello from mock\\n::maos::discovery:: found it\\n::maos::progress:: 50\\nAll done"}}',
  completed:
    '{"type":"turn.completed","usage":{"input_tokens":1000,"cached_input_tokens":200,"cache_write_input_tokens":0,"output_tokens":50,"reasoning_output_tokens":10}}',
  resumedCompleted:
    '{"type":"turn.completed","usage":{"input_tokens":2000,"cached_input_tokens":400,"cache_write_input_tokens":0,"output_tokens":100,"reasoning_output_tokens":20}}',
  retry401:
    '{"type":"error","message":"Reconnecting... 1/5 (unexpected status 401 Unauthorized: Incorrect API key provided, url: http://127.0.0.1:39322/v1/responses)"}',
  error401:
    '{"type":"error","message":"unexpected status 401 Unauthorized: Incorrect API key provided, url: http://127.0.0.1:39322/v1/responses"}',
  failed401:
    '{"type":"turn.failed","error":{"message":"unexpected status 401 Unauthorized: Incorrect API key provided, url: http://127.0.0.1:39322/v1/responses"}}',
  noKey:
    '{"type":"error","message":"Missing environment variable: `MOCK_KEY`."}',
  noKeyFailed:
    '{"type":"turn.failed","error":{"message":"Missing environment variable: `MOCK_KEY`."}}',
  retryDns:
    '{"type":"error","message":"Reconnecting... 2/5 (stream disconnected before completion: failed to lookup address information: Name does not resolve)"}',
  offline:
    '{"type":"error","message":"Reconnecting... waiting for network (Connection failed: error sending request)"}',
};

function feed(...lines: string[]) {
  const events: DriverEvent[] = [];
  let refused = 0;
  const stream = new CodexStream((e) => events.push(e), () => refused++);
  for (const line of lines) stream.onLine(line);
  return { stream, events, refused: () => refused };
}

Deno.test("a real run: the thread id first, the message's text as output, its ::maos:: lines as message and progress", () => {
  const { stream, events } = feed(
    REAL.thread,
    REAL.warning,
    REAL.turn,
    REAL.message,
    REAL.completed,
  );
  assertEquals(events.filter((e) => e.type !== "activity"), [
    { type: "session", sessionId: "01a2353f-fb6f-7483-86b3-d657b6c2042b" },
    {
      type: "output",
      line:
        "[codex] Model metadata for `gpt-test` not found. Defaulting to fallback metadata; this can degrade performance and cause issues.",
    },
    { type: "output", line: "Hello from mock" },
    { type: "message", kind: "discovery", to: null, content: "found it" },
    { type: "progress", percent: 50 },
    { type: "output", line: "All done" },
  ]);
  assertEquals(stream.totals, {
    inputTokens: 1000,
    cachedInputTokens: 200,
    outputTokens: 50,
  });
  assertEquals(stream.failure, undefined);
  assertEquals(stream.turnFailed, false);
  assertEquals(
    stream.lastMessage,
    "Hello from mock\n::maos::discovery:: found it\n::maos::progress:: 50\nAll done",
  );
});

Deno.test("a resumed thread's usage is kept as its running counters (the driver subtracts)", () => {
  const { stream } = feed(REAL.thread, REAL.message, REAL.resumedCompleted);
  assertEquals(stream.totals, {
    inputTokens: 2000,
    cachedInputTokens: 400,
    outputTokens: 100,
  });
});

Deno.test("a 401 is noticed at the first retry (once), retries are not shown, the failure is one line", () => {
  const { stream, events, refused } = feed(
    REAL.thread,
    REAL.turn,
    REAL.retry401,
    REAL.retry401,
    REAL.error401,
    REAL.failed401,
  );
  assert(stream.unauthorized);
  assertEquals(refused(), 1);
  assert(stream.turnFailed);
  assertEquals(events.filter((e) => e.type === "output"), []);
  assertEquals(
    stream.failure,
    "unexpected status 401 Unauthorized: Incorrect API key provided, url: http://127.0.0.1:39322/v1/responses",
  );
});

Deno.test("a missing API key variable is named; other retries are shown as output", () => {
  const { stream } = feed(REAL.thread, REAL.noKey, REAL.noKeyFailed);
  assertEquals(stream.missingKey, "MOCK_KEY");
  assert(!stream.unauthorized);
  const retry = feed(REAL.retryDns);
  assertEquals(retry.events.filter((e) => e.type !== "activity"), [{
    type: "output",
    line:
      "[codex] Reconnecting... 2/5 (stream disconnected before completion: failed to lookup address information: Name does not resolve)",
  }]);
  assertEquals(retry.stream.failure, undefined);
});

Deno.test("commands, file changes and tool calls are brief output lines; reasoning and unknown types are not shown", () => {
  const item = (i: object) =>
    JSON.stringify({ type: "item.completed", item: i });
  const { events } = feed(
    item({
      id: "1",
      type: "command_execution",
      command: "bash -lc 'ls\n-la'",
      aggregated_output: "secret",
      exit_code: 0,
      status: "completed",
    }),
    item({
      id: "2",
      type: "file_change",
      changes: [{ path: "a.ts", kind: "update" }, {
        path: "b.ts",
        kind: "add",
      }],
      status: "completed",
    }),
    item({ id: "3", type: "mcp_tool_call", server: "maos", tool: "send" }),
    item({ id: "4", type: "reasoning", text: "thinking" }),
    JSON.stringify({
      type: "item.started",
      item: { type: "command_execution" },
    }),
    JSON.stringify({ type: "something.new" }),
    "not json at all",
    "::maos::info:: from a plain line",
  );
  assertEquals(events, [
    { type: "output", line: "[command] bash -lc 'ls -la' (exit 0)" },
    { type: "output", line: "[files] update a.ts, add b.ts" },
    { type: "output", line: "[mcp] maos.send" },
    { type: "output", line: "not json at all" },
    { type: "message", kind: "info", to: null, content: "from a plain line" },
  ]);
});

Deno.test("the same thread id again is not a new session", () => {
  const { events } = feed(REAL.thread, REAL.thread);
  assertEquals(events.length, 1);
});

Deno.test("counted reconnects past the allowed retries give the run up as unreachable", () => {
  const events: DriverEvent[] = [];
  let stopped = 0;
  const stream = new CodexStream((e) => events.push(e), () => stopped++, 1);
  stream.onLine(REAL.retryDns);
  assertEquals([stopped, stream.unreachable], [0, undefined]);
  stream.onLine(REAL.retryDns);
  assertEquals(stopped, 1);
  assertEquals(
    stream.unreachable,
    "(stream disconnected before completion: failed to lookup address information: Name does not resolve)",
  );
  assert(
    events.some((e) =>
      e.type === "activity" && e.waitingFor === "the model to be reachable"
    ),
  );
});

Deno.test("waiting for the network is given up after a second per allowed retry, unless a line comes", async () => {
  let stopped = 0;
  const stream = new CodexStream(() => {}, () => stopped++, 0);
  stream.onLine(REAL.offline);
  await new Promise((r) => setTimeout(r, 20));
  assertEquals(stopped, 1);
  assertEquals(
    stream.unreachable,
    "Connection failed: error sending request",
  );
  stream.close();

  const back = new CodexStream(() => {}, () => stopped++, 1);
  back.onLine(REAL.offline);
  back.onLine(REAL.turn); // the network came back
  await new Promise((r) => setTimeout(r, 1100));
  assertEquals([stopped, back.unreachable], [1, undefined]);
  back.close();
});
