import { assert, assertEquals } from "./_test_assert.ts";
import { ClaudeStream } from "./claude_stream.ts";
import type { DriverEvent } from "./driver.ts";

function feed(...lines: unknown[]) {
  const events: DriverEvent[] = [];
  const stream = new ClaudeStream((e) => events.push(e));
  for (const l of lines) {
    stream.onLine(typeof l === "string" ? l : JSON.stringify(l));
  }
  return { stream, events };
}

Deno.test("the init line gives the session id at once, repeated ids are not re-emitted", () => {
  const { stream, events } = feed(
    { type: "system", subtype: "init", session_id: "s1" },
    { type: "assistant", session_id: "s1", message: { content: [] } },
  );
  assertEquals(events, [{ type: "session", sessionId: "s1" }]);
  assertEquals(stream.sessionId, "s1");
});

// Lines as Claude Code 2.1.197 printed them against a local model server
// (trimmed to the fields read): one API message, then the result.
const REAL_ASSISTANT = {
  type: "assistant",
  message: {
    id: "msg_1",
    type: "message",
    role: "assistant",
    content: [{ type: "text", text: "Hello\n::maos::progress:: 50\nAll done" }],
    stop_reason: null,
    usage: {
      input_tokens: 100,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 1,
    },
  },
  session_id: "c4f43504",
};
const REAL_RESULT = {
  type: "result",
  subtype: "success",
  is_error: false,
  num_turns: 1,
  result: "Hello\n::maos::progress:: 50\nAll done",
  session_id: "c4f43504",
  total_cost_usd: 0.0015,
  usage: {
    input_tokens: 100,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: 40,
  },
};

Deno.test("each result reports that invocation's cost and tokens once, for the engine to add up", () => {
  const { events } = feed(REAL_ASSISTANT, REAL_RESULT, {
    ...REAL_RESULT,
    total_cost_usd: 0.0008,
  });
  assertEquals(events.filter((e) => e.type === "usage"), [
    { type: "usage", costUsd: 0.0015, inputTokens: 100, outputTokens: 40 },
    { type: "usage", costUsd: 0.0008, inputTokens: 100, outputTokens: 40 },
  ]);
});

Deno.test("cache reads and writes count as input tokens", () => {
  const { events } = feed({
    ...REAL_RESULT,
    usage: {
      input_tokens: 5,
      cache_creation_input_tokens: 300,
      cache_read_input_tokens: 2000,
      output_tokens: 7,
    },
  });
  assertEquals(events.filter((e) => e.type === "usage"), [
    { type: "usage", costUsd: 0.0015, inputTokens: 2305, outputTokens: 7 },
  ]);
});

Deno.test("an interrupted result that reports 0 keeps the tokens already streamed", () => {
  // Measured: SIGINT while the model streamed gave total_cost_usd 0 and usage 0.
  const { events } = feed(REAL_ASSISTANT, {
    type: "result",
    subtype: "error_during_execution",
    is_error: true,
    total_cost_usd: 0,
    usage: { input_tokens: 0, output_tokens: 0 },
  });
  assertEquals(events.filter((e) => e.type === "usage"), [
    { type: "usage", costUsd: 0, inputTokens: 100, outputTokens: 1 },
  ]);
});

Deno.test("without a result line, the streamed usage counts each API message once (tokens only)", () => {
  const second = {
    ...REAL_ASSISTANT,
    message: {
      ...REAL_ASSISTANT.message,
      content: [{ type: "tool_use", id: "t", name: "Bash", input: {} }],
    },
  };
  const other = {
    ...REAL_ASSISTANT,
    message: { ...REAL_ASSISTANT.message, id: "msg_2" },
  };
  const { stream, events } = feed(REAL_ASSISTANT, second, other);
  assertEquals(events.filter((e) => e.type === "usage"), []);
  assertEquals(stream.streamedUsage(), {
    type: "usage",
    inputTokens: 200,
    outputTokens: 2,
  });
  stream.onLine(JSON.stringify(REAL_RESULT));
  assertEquals(stream.streamedUsage(), undefined);
});

Deno.test("is_error decides, not subtype", () => {
  const { stream } = feed({
    type: "result",
    subtype: "success",
    is_error: true,
    result: "Not logged in",
  });
  assertEquals(stream.result?.isError, true);
  assertEquals(stream.result?.subtype, "success");
});

Deno.test("authentication_failed on an assistant line is remembered", () => {
  const { stream } = feed({
    type: "assistant",
    error: "authentication_failed",
    message: {
      content: [{ type: "text", text: "Not logged in · Please run /login" }],
    },
  });
  assert(stream.authFailed);
  assertEquals(stream.authText, "Not logged in · Please run /login");
});

Deno.test("a refused API key (401, real 2.1.197) keeps the CLI's reason", () => {
  const { stream } = feed({
    type: "assistant",
    error: "authentication_failed",
    message: {
      model: "<synthetic>",
      content: [{
        type: "text",
        text: "Invalid API key · Fix external API key",
      }],
    },
  });
  assert(stream.authFailed);
  assertEquals(stream.authText, "Invalid API key · Fix external API key");
});

Deno.test("unknown types, user lines and JSON that is not an object are no events; other text is output", () => {
  const { events } = feed(
    {
      type: "user",
      message: { content: [{ type: "tool_result", content: "secret" }] },
    },
    { type: "stream_event", event: {} },
    { type: "system", subtype: "compact_boundary" },
    "[1,2]",
    "{broken json",
    "",
    "::maos::progress:: 10",
  );
  assertEquals(events, [
    { type: "output", line: "[1,2]" },
    { type: "output", line: "{broken json" },
    { type: "progress", percent: 10 },
  ]);
});

Deno.test("a long tool input is shortened to one line", () => {
  const { events } = feed({
    type: "assistant",
    message: {
      content: [{
        type: "tool_use",
        name: "Write",
        input: { content: "y".repeat(500) },
      }],
    },
  });
  const line = (events[0] as { line: string }).line;
  assert(
    line.startsWith("[tool] Write {") && line.length < 220 &&
      line.endsWith("…"),
  );
});

Deno.test("the result line's permission_denials become one denied event per refused call", () => {
  const events: DriverEvent[] = [];
  const stream = new ClaudeStream((e) => events.push(e));
  stream.onLine(JSON.stringify({
    type: "result",
    subtype: "success",
    is_error: false,
    result: "could not run the tests",
    session_id: "s1",
    permission_denials: [
      {
        tool_name: "Bash",
        tool_use_id: "toolu_1",
        tool_input: { command: "node test.js", description: "run" },
      },
      { tool_name: 7 },
    ],
  }));
  assertEquals(events.filter((e) => e.type === "denied"), [{
    type: "denied",
    tool: "Bash",
    input: { command: "node test.js", description: "run" },
    toolUseId: "toolu_1",
  }]);
});
