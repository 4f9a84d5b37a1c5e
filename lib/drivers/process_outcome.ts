/**
 * Shared by the drivers whose agent is a plain process (shell, exec): turn
 * stdout lines into events, and an exit into a TaskResult.
 */
import type { DriverEvent, TaskResult } from "./driver.ts";
import type { AgentExit } from "./agent_process.ts";
import { parseMaosLine } from "./maos_lines.ts";

/** Forwards parsed lines to `emit` and remembers the last non-empty output line. */
export interface LineForwarder {
  onLine(line: string): void;
  /** The last non-empty output line (not a message or progress line), if any. */
  lastOutput(): string | undefined;
}

/**
 * Emit each stdout line as output, message or progress.
 *
 * @example
 * const fwd = forwardLines(run.emit);
 * await runAgentProcess({ ..., onLine: fwd.onLine });
 */
export function forwardLines(emit: (e: DriverEvent) => void): LineForwarder {
  let last: string | undefined;
  return {
    onLine(line) {
      const event = parseMaosLine(line);
      if (event.type === "output" && line.trim() !== "") last = line.trim();
      emit(event);
    },
    lastOutput: () => last,
  };
}

/** The last non-empty line of a text, trimmed. */
export function lastLine(text: string): string | undefined {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l);
  return lines.at(-1);
}

/**
 * A CLI that ended before its result: `NAME exited with code 2 before
 * finishing: WHY` (or `was killed by SIGNAL`), WHY being the stderr line
 * that says most.
 */
export function unfinished(
  name: string,
  exit: { exitCode: number | null; signal: string | null },
  why: string | undefined,
): { status: "failed"; summary: string } {
  const how = exit.signal
    ? `was killed by ${exit.signal}`
    : `exited with code ${exit.exitCode}`;
  return {
    status: "failed",
    summary: `${name} ${how} before finishing${why ? `: ${why}` : ""}`,
  };
}

/**
 * The result of a process that ran: exit 0 → completed (summary: the last
 * output line or "done"); stopped on request → stopped; otherwise failed,
 * naming the exit code or signal and the last stderr line.
 *
 * @example
 * outcomeOf({ exitCode: 2, signal: null, stderr: "boom\n", stopped: false }, undefined);
 * // { status: "failed", summary: "exited with code 2: boom" }
 */
export function outcomeOf(
  exit: AgentExit,
  lastOutput: string | undefined,
): TaskResult {
  if (exit.exitCode === 0) {
    return { status: "completed", summary: lastOutput ?? "done" };
  }
  if (exit.stopped) {
    return {
      status: "stopped",
      summary: lastOutput ? `stopped; last output: ${lastOutput}` : "stopped",
    };
  }
  const how = exit.signal
    ? `killed by ${exit.signal}`
    : `exited with code ${exit.exitCode}`;
  const why = lastLine(exit.stderr);
  return { status: "failed", summary: why ? `${how}: ${why}` : how };
}
