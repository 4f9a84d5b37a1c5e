import { assertEquals } from "./_test_assert.ts";
import type { AgentExit } from "./agent_process.ts";
import {
  GEMINI_KEY_REFUSED,
  GEMINI_UNTRUSTED,
  geminiOutcome,
  geminiUsage,
} from "./gemini_outcome.ts";
import { GeminiStream } from "./gemini_stream.ts";
import { MODEL_UNREACHABLE } from "./driver.ts";

const SESSION = "8ae2dc93-5e61-4112-b2ff-49bdbc242fe6";

function exit(fields: Partial<AgentExit>): AgentExit {
  return { exitCode: 0, signal: null, stderr: "", stopped: false, ...fields };
}

/** A stream fed these stdout lines. */
function streamOf(...lines: string[]): GeminiStream {
  const stream = new GeminiStream(() => {});
  for (const line of lines) stream.onLine(line);
  stream.end();
  return stream;
}

const init = `{"type":"init","session_id":"${SESSION}","model":"auto"}`;
const answer =
  '{"type":"message","role":"assistant","content":"Done\\n::maos::progress:: 100","delta":true}';
const ok =
  '{"type":"result","status":"success","stats":{"input_tokens":20,"output_tokens":10,"cached":30}}';
const error = (message: string) =>
  JSON.stringify({
    type: "result",
    status: "error",
    error: { type: "unknown", message },
    stats: {},
  });

Deno.test("a successful run completes with its answer, without control lines", () => {
  assertEquals(geminiOutcome(exit({}), streamOf(init, answer, ok), undefined), {
    status: "completed",
    summary: "Done",
  });
});

Deno.test("exit 42 'Error resuming session' on a resume is a lost session; without a resume it is not", () => {
  const stderr =
    'Error resuming session: Invalid session identifier "x".\n  Searched for sessions in /h/.gemini/tmp/p/chats.';
  assertEquals(
    geminiOutcome(exit({ exitCode: 42, stderr }), streamOf(), SESSION),
    {
      status: "failed",
      summary:
        `Gemini session ${SESSION} no longer exists (Error resuming session: Invalid session identifier "x".)`,
      sessionLost: true,
    },
  );
  assertEquals(
    geminiOutcome(exit({ exitCode: 42, stderr }), streamOf(), undefined)
      .sessionLost,
    undefined,
  );
});

Deno.test("stopped by maos: the session is kept for a resume; Ctrl-C's exit 0 without a result is no success", () => {
  assertEquals(
    geminiOutcome(exit({ stopped: true }), streamOf(init, answer), SESSION),
    { status: "stopped", summary: `stopped; session ${SESSION} kept` },
  );
  assertEquals(
    geminiOutcome(exit({}), streamOf(init), undefined).summary,
    "the Gemini CLI exited with code 0 before finishing",
  );
});

Deno.test("API errors in the result: a 401 is the key, others keep the API's words; exit 41, 53 and 55 each say what they are", () => {
  const refused = error(
    '[API Error: {"error":{"code":401,"message":"API key not valid. Please pass a valid API key.","status":"UNAUTHENTICATED"}}]',
  );
  assertEquals(
    geminiOutcome(exit({ exitCode: 145 }), streamOf(init, refused), undefined),
    { status: "failed", summary: GEMINI_KEY_REFUSED },
  );
  const broken = error(
    '[API Error: {"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}]',
  );
  assertEquals(
    geminiOutcome(exit({ exitCode: 244 }), streamOf(broken), undefined)
      .summary,
    "Gemini API error: 503 The model is overloaded.",
  );
  assertEquals(
    geminiOutcome(
      exit({ exitCode: 41, stderr: "Invalid auth method selected.\n" }),
      streamOf(),
      undefined,
    ).summary,
    "the Gemini CLI cannot authenticate (exit 41): Invalid auth method selected. — set GEMINI_API_KEY, or drivers.gemini.authType in maos.json",
  );
  assertEquals(
    geminiOutcome(exit({ exitCode: 53 }), streamOf(init), undefined).summary,
    "the Gemini CLI reached its turn limit (exit 53)",
  );
  assertEquals(
    geminiOutcome(exit({ exitCode: 55 }), streamOf(), undefined).summary,
    GEMINI_UNTRUSTED,
  );
});

Deno.test("usage: this run's tokens, priced only with prices (cached input at its own price)", () => {
  const result = streamOf(ok).result;
  assertEquals(geminiUsage(result, undefined), {
    type: "usage",
    inputTokens: 20,
    outputTokens: 10,
  });
  // cached (30) is capped at the input (20): all of it at the cached price.
  assertEquals(
    geminiUsage(result, {
      inputPerMTok: 1,
      outputPerMTok: 10,
      cachedInputPerMTok: 0.5,
    })?.costUsd,
    (20 * 0.5 + 10 * 10) / 1e6,
  );
  assertEquals(geminiUsage(streamOf(init).result, undefined), undefined);
});

Deno.test("given up: no connection and an API that keeps failing both start with MODEL_UNREACHABLE (one line in a turn and in the planner)", () => {
  const offline = new GeminiStream(() => {}, 1);
  offline.onStderrLine(
    "Attempt 1 failed. Retrying with backoff... Error: exception TypeError: fetch failed sending request",
  );
  offline.end();
  assertEquals(
    geminiOutcome(
      exit({ signal: "SIGKILL", exitCode: null }),
      offline,
      undefined,
    ),
    {
      status: "failed",
      summary:
        `${MODEL_UNREACHABLE}: fetch failed sending request (the Gemini API; maos stopped the Gemini CLI after 1 attempt)`,
    },
  );
  const failing = new GeminiStream(() => {}, 2);
  for (const n of [1, 2]) {
    failing.onStderrLine(
      `Attempt ${n} failed with status 500. Retrying with backoff... _ApiError: {"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}}`,
    );
  }
  failing.end();
  assertEquals(
    geminiOutcome(
      exit({ signal: "SIGKILL", exitCode: null }),
      failing,
      undefined,
    )
      .summary,
    `${MODEL_UNREACHABLE}: the Gemini API kept failing (500 Internal error encountered.); maos stopped the Gemini CLI after 2 attempts`,
  );
});
