import { assertEquals } from "./_test_assert.ts";
import type { DriverEvent } from "./driver.ts";
import { apiMessage, GeminiStream } from "./gemini_stream.ts";

// Lines as `gemini -p … -o stream-json` 0.61.0 printed them against the
// model stand-in (a run with a shell call, a 500, the retry notices on stderr).
const REAL = {
  init:
    '{"type":"init","timestamp":"2026-12-02T09:51:23.549Z","session_id":"8ae2dc93-5e61-4112-b2ff-49bdbc242fe6","model":"gemini-2.5-pro"}',
  user:
    '{"type":"message","timestamp":"2026-12-02T09:51:23.555Z","role":"user","content":"Write out.txt"}',
  toolUse:
    '{"type":"tool_use","timestamp":"2026-12-02T09:51:23.765Z","tool_name":"run_shell_command","tool_id":"run_shell_command__call_standin_1_0","parameters":{"command":"echo hi > out.txt","description":"write"}}',
  toolResult:
    '{"type":"tool_result","timestamp":"2026-12-02T09:51:24.097Z","tool_id":"run_shell_command__call_standin_1_0","status":"success","output":""}',
  delta1:
    '{"type":"message","timestamp":"2026-12-02T09:51:24.114Z","role":"assistant","content":"Wrote it\\n::maos::disc","delta":true}',
  delta2:
    '{"type":"message","timestamp":"2026-12-02T09:51:24.124Z","role":"assistant","content":"overy:: out.txt exists","delta":true}',
  result:
    '{"type":"result","timestamp":"2026-12-02T09:51:24.414Z","status":"success","stats":{"total_tokens":30,"input_tokens":20,"output_tokens":10,"cached":4,"input":20,"duration_ms":865,"tool_calls":1,"models":{"gemini-2.5-pro":{"total_tokens":30,"input_tokens":20,"output_tokens":10,"cached":4,"input":20}}}}',
  result500:
    '{"type":"result","timestamp":"2026-12-02T09:49:39.437Z","status":"error","error":{"type":"unknown","message":"[API Error: {\\"error\\":{\\"code\\":500,\\"message\\":\\"Internal error encountered.\\",\\"status\\":\\"INTERNAL\\"}}]"},"stats":{"total_tokens":0,"input_tokens":0,"output_tokens":0,"cached":0,"input":0,"duration_ms":0,"tool_calls":0,"models":{}}}',
  retry1:
    'Attempt 1 failed with status 500. Retrying with backoff... _ApiError: {"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}}',
  retry2:
    'Attempt 2 failed with status 500. Retrying with backoff... _ApiError: {"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}}',
};

function feed(lines: string[], stderr: string[] = [], maxAttempts = 2) {
  const events: DriverEvent[] = [];
  // What the stream says it waits for, apart from the other events.
  const waits: (string | undefined)[] = [];
  let gaveUp = 0;
  const stream = new GeminiStream(
    (e) => e.type === "activity" ? waits.push(e.waitingFor) : events.push(e),
    maxAttempts,
    () => gaveUp++,
  );
  for (const line of stderr) stream.onStderrLine(line);
  for (const line of lines) stream.onLine(line);
  stream.end();
  return { stream, events, waits, gaveUp: () => gaveUp };
}

Deno.test("a real run: the session id first, the tool call briefly, the answer whole so a ::maos:: line split across deltas still parses", () => {
  const { stream, events } = feed([
    REAL.init,
    REAL.user,
    REAL.toolUse,
    REAL.toolResult,
    REAL.delta1,
    REAL.delta2,
    REAL.result,
  ]);
  assertEquals(events, [
    { type: "session", sessionId: "8ae2dc93-5e61-4112-b2ff-49bdbc242fe6" },
    { type: "output", line: "[tool] run_shell_command echo hi > out.txt" },
    { type: "output", line: "Wrote it" },
    {
      type: "message",
      kind: "discovery",
      to: null,
      content: "out.txt exists",
    },
  ]);
  assertEquals(stream.answer, "Wrote it\n::maos::discovery:: out.txt exists");
  assertEquals(stream.result, {
    ok: true,
    inputTokens: 20,
    cachedTokens: 4,
    outputTokens: 10,
  });
});

Deno.test("the answer is what the model said after its last tool call", () => {
  const before =
    '{"type":"message","role":"assistant","content":"Let me look","delta":true}';
  const { stream } = feed([REAL.init, before, REAL.toolUse, REAL.delta1]);
  assertEquals(stream.answer, "Wrote it\n::maos::disc");
});

Deno.test("a failed tool call is shown with its error; a user message is not output", () => {
  const failed =
    '{"type":"tool_result","tool_id":"run_shell_command__call_standin_1_0","status":"error","output":"","error":{"type":"execution_failed","message":"Command exited with code 1"}}';
  const { events } = feed([REAL.user, REAL.toolUse, failed]);
  assertEquals(events.at(-1), {
    type: "output",
    line: "[tool] run_shell_command failed: Command exited with code 1",
  });
});

Deno.test("an error result keeps the API's own message", () => {
  const { stream } = feed([REAL.init, REAL.result500]);
  assertEquals(stream.result?.ok, false);
  assertEquals(stream.result?.error, "500 Internal error encountered.");
});

Deno.test("retry notices on stderr are counted and shown; the bound calls onGiveUp once", () => {
  const one = feed([], [REAL.retry1, "  status: 500", "}"]);
  assertEquals(one.gaveUp(), 0);
  assertEquals(one.events, [
    { type: "output", line: "[gemini] API attempt 1 failed (HTTP 500)" },
  ]);
  const two = feed([], [REAL.retry1, REAL.retry2, REAL.retry2]);
  assertEquals(two.gaveUp(), 1);
  assertEquals(two.stream.gaveUp, true);
  assertEquals(two.stream.lastStatus, 500);
  assertEquals(two.stream.lastApiError, "500 Internal error encountered.");
});

Deno.test("plain lines are output; unknown event types are ignored", () => {
  const { events } = feed(["hello", '{"type":"future","x":1}', ""]);
  assertEquals(events, [{ type: "output", line: "hello" }]);
});

Deno.test("apiMessage reads the error body printed inside a line", () => {
  assertEquals(
    apiMessage(
      'Error: {"error":{"code":401,"message":"API key not valid.","status":"UNAUTHENTICATED"}}',
    ),
    "401 API key not valid.",
  );
  assertEquals(apiMessage("no json here"), undefined);
});

Deno.test("a call the CLI's policy refused is kept as a denial with its input", () => {
  const refused =
    '{"type":"tool_result","tool_id":"run_shell_command__call_standin_1_0","status":"error","output":"Tool execution denied by policy.","error":{"type":"unknown","message":"Tool execution denied by policy."}}';
  const { stream, events } = feed([REAL.toolUse, refused]);
  assertEquals(stream.denials, [{
    tool: "run_shell_command",
    input: { command: "echo hi > out.txt", description: "write" },
  }]);
  assertEquals(events.at(-1), {
    type: "output",
    line: "[tool] run_shell_command refused: Tool execution denied by policy.",
  });
  // Reported as it happens, for the engine's permission.denied event.
  assertEquals(events.at(-2), {
    type: "denied",
    tool: "run_shell_command",
    input: { command: "echo hi > out.txt", description: "write" },
  });
});

Deno.test("activity: it says what the CLI waits for, so a stall notice can (the model, a tool call, a connection)", () => {
  const { waits } = feed([
    REAL.init,
    REAL.toolUse,
    REAL.toolResult,
    REAL.delta1,
  ], [REAL.retry1]);
  assertEquals(waits, [
    "the model to be reachable",
    "the model to answer",
    "its run_shell_command call to finish",
    "the model to answer",
    "the model to answer",
  ]);
});

const NO_ROUTE =
  "Attempt 1 failed. Retrying with backoff... Error: exception TypeError: fetch failed sending request";

Deno.test("no connection at all (no HTTP status) is unreachable: given up at the first attempt, whatever the bound", () => {
  const { stream, gaveUp } = feed([], [NO_ROUTE], 3);
  assertEquals(stream.unreachable, "fetch failed sending request");
  assertEquals(gaveUp(), 1);
  // A 500 is an answer, not a lost connection.
  const answered = feed([], [REAL.retry1], 3);
  assertEquals(answered.stream.unreachable, undefined);
  assertEquals(answered.gaveUp(), 0);
});
