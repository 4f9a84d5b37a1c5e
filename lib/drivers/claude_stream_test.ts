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
  assertEquals(events.filter((e) => e.type !== "activity"), [
    { type: "session", sessionId: "s1" },
  ]);
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

/** The usage events, dollars rounded to 1e-9 (sums of prices are not exact in binary). */
function usages(events: DriverEvent[]) {
  return events.filter((e) => e.type === "usage").map((e) => ({
    ...e,
    ...(e.costUsd === undefined
      ? {}
      : { costUsd: Math.round(e.costUsd * 1e9) / 1e9 }),
  }));
}

const NONE = { costUsd: 0, inputTokens: 0, outputTokens: 0 };
/** REAL_ASSISTANT's usage at the default (Opus) list price: 100 in, 1 out. */
const STREAMED = { costUsd: 0.000525, inputTokens: 100, outputTokens: 1 };

Deno.test("each result reports that invocation's cost and tokens once, taking back the estimates streamed before it", () => {
  const { events } = feed(REAL_ASSISTANT, REAL_RESULT, {
    ...REAL_RESULT,
    total_cost_usd: 0.0008,
  });
  assertEquals(usages(events), [
    { type: "usage", ...STREAMED, estimated: true },
    {
      type: "usage",
      costUsd: 0.0015,
      inputTokens: 100,
      outputTokens: 40,
      replaces: STREAMED,
    },
    {
      type: "usage",
      costUsd: 0.0008,
      inputTokens: 100,
      outputTokens: 40,
      replaces: NONE,
    },
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
  assertEquals(usages(events), [
    {
      type: "usage",
      costUsd: 0.0015,
      inputTokens: 2305,
      outputTokens: 7,
      replaces: NONE,
    },
  ]);
});

Deno.test("an interrupted result that reports 0 keeps the tokens already streamed, priced by maos", () => {
  // Measured: SIGINT while the model streamed gave total_cost_usd 0 and usage 0.
  const { events } = feed(REAL_ASSISTANT, {
    type: "result",
    subtype: "error_during_execution",
    is_error: true,
    total_cost_usd: 0,
    usage: { input_tokens: 0, output_tokens: 0 },
  });
  assertEquals(usages(events), [
    { type: "usage", ...STREAMED, estimated: true },
    {
      type: "usage",
      costUsd: 0,
      inputTokens: 100,
      outputTokens: 1,
      replaces: STREAMED,
    },
    {
      type: "usage",
      costUsd: 0.000525,
      inputTokens: 0,
      outputTokens: 0,
      estimated: true,
    },
  ]);
});

Deno.test("without a result line, each API message's usage is counted once as it streams (an estimate)", () => {
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
  const { events } = feed(REAL_ASSISTANT, second, other);
  assertEquals(usages(events), [
    { type: "usage", ...STREAMED, estimated: true },
    { type: "usage", ...STREAMED, estimated: true },
  ]);
});

Deno.test("with partial messages, the input counts at message_start and the output at each message_delta, at the model's price", () => {
  const event = (e: unknown) => ({ type: "stream_event", event: e });
  const { stream, events } = feed(
    event({
      type: "message_start",
      message: {
        id: "msg_9",
        model: "claude-sonnet-4-5",
        usage: {
          input_tokens: 1000,
          cache_creation_input_tokens: 2000,
          cache_read_input_tokens: 10_000,
          output_tokens: 1,
        },
      },
    }),
    event({ type: "content_block_delta", index: 0 }),
    event({ type: "message_delta", usage: { output_tokens: 101 } }),
  );
  // Sonnet: $3 in, $3.75 cache writes, $0.30 cache reads, $15 out per million.
  assertEquals(usages(events), [
    {
      type: "usage",
      costUsd: 0.013515, // 0.003 + 0.0075 + 0.003 + 0.000015
      inputTokens: 13_000,
      outputTokens: 1,
      estimated: true,
    },
    {
      type: "usage",
      costUsd: 0.0015,
      inputTokens: 0,
      outputTokens: 100,
      estimated: true,
    },
  ]);
  assertEquals(stream.waitingFor, "the model to finish its answer");
  // Every chunk is a sign of life; the answer's start and end are said.
  assertEquals(events.filter((e) => e.type === "activity").length, 5);
  assertEquals(
    events.flatMap((e) =>
      e.type === "activity" && e.answering !== undefined ? [e.answering] : []
    ),
    [true, false],
  );
});

Deno.test("a price table in maos.json wins over the list price, by the longest model prefix", () => {
  const events: DriverEvent[] = [];
  const stream = new ClaudeStream((e) => events.push(e), {
    "claude-": { inputPerMTok: 1, outputPerMTok: 1 },
    "claude-opus": { inputPerMTok: 2, outputPerMTok: 10 },
  });
  stream.onLine(JSON.stringify({
    ...REAL_ASSISTANT,
    message: { ...REAL_ASSISTANT.message, model: "claude-opus-4-8" },
  }));
  assertEquals(usages(events)[0].costUsd, 0.00021);
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
    { type: "system", subtype: "compact_boundary" },
    "[1,2]",
    "{broken json",
    "",
    "::maos::progress:: 10",
  );
  assertEquals(events.filter((e) => e.type !== "activity"), [
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

Deno.test("a result's modelUsage teaches the CLI's prices: later estimates of that model are priced as it prices them", () => {
  const learned = new Map<string, number>();
  const first = new ClaudeStream(() => {}, undefined, learned);
  // The CLI charged twice maos's list price for this model.
  first.onLine(JSON.stringify({
    ...REAL_RESULT,
    modelUsage: {
      "claude-opus-4-8[1m]": {
        inputTokens: 1000,
        outputTokens: 100,
        cacheReadInputTokens: 0,
        cacheCreationInputTokens: 0,
        costUSD: 0.015,
      },
    },
  }));
  const events: DriverEvent[] = [];
  const next = new ClaudeStream((e) => events.push(e), undefined, learned);
  next.onLine(JSON.stringify({
    ...REAL_ASSISTANT,
    message: { ...REAL_ASSISTANT.message, model: "claude-opus-4-8" },
  }));
  assertEquals(usages(events)[0].costUsd, 2 * STREAMED.costUsd);
});

Deno.test("an answer that ends the turn says so before its cost (a budget reached by it lets the turn end)", () => {
  const event = (e: unknown) => ({ type: "stream_event", event: e });
  const { stream, events } = feed(
    event({
      type: "message_start",
      message: {
        id: "m",
        model: "claude-opus-4-8",
        usage: { input_tokens: 10 },
      },
    }),
    event({
      type: "message_delta",
      delta: { stop_reason: "end_turn" },
      usage: { output_tokens: 5 },
    }),
  );
  assertEquals(stream.endedTurn, true);
  const finishing = events.findIndex((e) =>
    e.type === "activity" && e.finishing
  );
  const lastCost = events.findLastIndex((e) => e.type === "usage");
  assert(finishing >= 0 && finishing < lastCost, JSON.stringify(events));
});

Deno.test("a sub-agent's messages streaming between the main one's start and end count to their own message", () => {
  const event = (e: unknown, parent: string | null = null) => ({
    type: "stream_event",
    event: e,
    parent_tool_use_id: parent,
  });
  const start = (id: string) => ({
    type: "message_start",
    message: { id, model: "claude-opus-4-8", usage: { input_tokens: 100 } },
  });
  const end = (out: number) => ({
    type: "message_delta",
    delta: { stop_reason: "end_turn" },
    usage: { output_tokens: out },
  });
  const { events } = feed(
    event(start("main")),
    event(start("sub"), "toolu_1"),
    event(end(40), "toolu_1"),
    event(end(10)),
  );
  assertEquals(
    usages(events).map((u) => [u.inputTokens, u.outputTokens]),
    [[100, 0], [100, 0], [0, 40], [0, 10]],
  );
});
