/**
 * What a finished Gemini CLI run means for maos: the task's result (with
 * the CLI's exit codes and messages measured on 0.61.0 turned into one clear
 * line each) and the usage event of the run's tokens.
 *
 * @module
 */
import type { TokenPricing } from "../../store/schema.ts";
import type { AgentExit } from "./agent_process.ts";
import { priced } from "./codex.ts";
import {
  MODEL_UNREACHABLE,
  type TaskResult,
  type UsageEvent,
} from "./driver.ts";
import type { GeminiResult, GeminiStream } from "./gemini_stream.ts";
import { withoutMaosLines } from "./maos_lines.ts";
import { lastLine, unfinished } from "./process_outcome.ts";

/** Exit codes of the Gemini CLI 0.61.0 (measured). */
export const GEMINI_EXIT = {
  auth: 41,
  badInput: 42,
  turnLimit: 53,
  untrusted: 55,
};

/**
 * What it prints (stderr, exit 42) for a `--resume` id it has no file of:
 * "Error resuming session: Invalid session identifier …", or "… No previous
 * sessions found for this project." when it has none at all.
 */
const SESSION_GONE = /Error resuming session/;
/** A refused key: the API's 401 / UNAUTHENTICATED. */
const REFUSED = /\b401\b|UNAUTHENTICATED|API key not valid/i;

export const GEMINI_KEY_REFUSED =
  "the Gemini API refused the key (401) — check GEMINI_API_KEY";

export const GEMINI_UNTRUSTED =
  "the Gemini CLI does not trust the agent's folder (exit 55): a system settings file (/etc/gemini-cli/settings.json) turns folder trust back on — allow the folder there, or set GEMINI_CLI_TRUST_WORKSPACE=true";

/**
 * The run's tokens as a usage event (priced only with `pricing`); nothing
 * when the run reported none (stopped before its `result` line).
 *
 * @example
 * geminiUsage({ ok: true, inputTokens: 20, cachedTokens: 0, outputTokens: 10 }, undefined);
 * // { type: "usage", inputTokens: 20, outputTokens: 10 }
 */
export function geminiUsage(
  result: GeminiResult | undefined,
  pricing: TokenPricing | undefined,
): UsageEvent | undefined {
  if (!result || (result.inputTokens === 0 && result.outputTokens === 0)) {
    return undefined;
  }
  const cached = Math.min(result.cachedTokens, result.inputTokens);
  return {
    type: "usage",
    ...(pricing
      ? {
        costUsd: priced(
          pricing,
          result.inputTokens,
          cached,
          result.outputTokens,
        ),
      }
      : {}),
    inputTokens: result.inputTokens,
    outputTokens: result.outputTokens,
  };
}

/**
 * The task's result from how the process ended and what the stream saw
 * (`sessionId`: the session this run resumed, if any). A spawn failure of
 * the binary itself is the driver's to throw, before this.
 */
export function geminiOutcome(
  exit: AgentExit,
  stream: GeminiStream,
  sessionId: string | undefined,
): TaskResult {
  const result = stream.result;
  if (exit.spawnError) {
    return { status: "failed", summary: exit.spawnError.message };
  }
  if (
    sessionId && exit.exitCode === GEMINI_EXIT.badInput &&
    SESSION_GONE.test(exit.stderr)
  ) {
    const said = exit.stderr.split("\n").find((l) => SESSION_GONE.test(l));
    return {
      status: "failed",
      summary: `Gemini session ${sessionId} no longer exists (${said?.trim()})`,
      sessionLost: true,
    };
  }
  if (stream.gaveUp) {
    // One line, as for claude and codex: the planner stops, a turn fails.
    const tries = stream.failedAttempts === 1
      ? "1 attempt"
      : `${stream.failedAttempts} attempts`;
    if (stream.unreachable && !stream.lastStatus) {
      return {
        status: "failed",
        summary:
          `${MODEL_UNREACHABLE}: ${stream.unreachable} (the Gemini API; maos stopped the Gemini CLI after ${tries})`,
      };
    }
    const why = stream.lastApiError ??
      (stream.lastStatus ? `HTTP ${stream.lastStatus}` : "no answer");
    return {
      status: "failed",
      summary:
        `${MODEL_UNREACHABLE}: the Gemini API kept failing (${why}); maos stopped the Gemini CLI after ${tries}`,
    };
  }
  if (exit.exitCode === GEMINI_EXIT.auth) {
    return { status: "failed", summary: authProblem(exit.stderr) };
  }
  if (exit.exitCode === GEMINI_EXIT.untrusted) {
    return { status: "failed", summary: GEMINI_UNTRUSTED };
  }
  if (result?.ok && exit.exitCode === 0) {
    return {
      status: "completed",
      summary: withoutMaosLines(stream.answer.trim()) || "done",
    };
  }
  // The session id was emitted when it arrived, so a stopped run can be
  // resumed with it.
  if (exit.stopped) {
    const kept = stream.sessionId ? `; session ${stream.sessionId} kept` : "";
    return { status: "stopped", summary: `stopped${kept}` };
  }
  if (result?.error && REFUSED.test(result.error)) {
    return { status: "failed", summary: GEMINI_KEY_REFUSED };
  }
  if (result?.error) {
    return { status: "failed", summary: `Gemini API error: ${result.error}` };
  }
  if (exit.exitCode === GEMINI_EXIT.turnLimit) {
    return {
      status: "failed",
      summary: "the Gemini CLI reached its turn limit (exit 53)",
    };
  }
  return unfinished("the Gemini CLI", exit, lastLine(exit.stderr));
}

/** Exit 41: the CLI's own line says what is missing (no key, a bad auth type). */
function authProblem(stderr: string): string {
  const said = stderr.split("\n").map((l) => l.trim())
    .find((l) => /GEMINI_API_KEY|auth method|API key|credentials/i.test(l));
  return `the Gemini CLI cannot authenticate (exit 41)${
    said ? `: ${said}` : ""
  } — set GEMINI_API_KEY, or drivers.gemini.authType in maos.json`;
}
