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

Deno.test("each result's total cost is reported as is, never added up", () => {
  const { events } = feed(
    { type: "result", is_error: false, result: "a", total_cost_usd: 0.5 },
    { type: "result", is_error: false, result: "b", total_cost_usd: 0.75 },
  );
  assertEquals(events.filter((e) => e.type === "cost"), [
    { type: "cost", totalUsd: 0.5 },
    { type: "cost", totalUsd: 0.75 },
  ]);
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
