/**
 * Small pieces every command file uses: the Examples section of `--help`,
 * argument parsers that fail as usage errors, and id/time formatting.
 *
 * @module
 */

import { InvalidArgumentError } from "@commander-js/extra-typings";

/** Commands as examples() needs them (any commander Command). */
interface HelpTarget {
  addHelpText(position: "after", text: string): unknown;
}

/**
 * Append an "Examples:" section to a command's `--help`.
 *
 * @example
 * examples(cmd, ["maos init", "maos --dir /tmp/x/.maos init"]);
 */
export function examples<T extends HelpTarget>(cmd: T, lines: string[]): T {
  cmd.addHelpText(
    "after",
    `\nExamples:\n${lines.map((line) => `  $ ${line}`).join("\n")}\n`,
  );
  return cmd;
}

/** Parser for an option that must be a whole number of at least `min`. */
export function intArg(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected a whole number ≥ ${min}`);
    }
    return n;
  };
}

/** Parser for a positive number of seconds (fractions allowed). */
export function secondsArg(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(value) || !(n > 0)) {
    throw new InvalidArgumentError("expected a number of seconds > 0");
  }
  return n;
}

/** `a,b , c` → `["a", "b", "c"]` (empty entries dropped). */
export function listArg(value: string): string[] {
  const items = value.split(",").map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) {
    throw new InvalidArgumentError("expected a comma-separated list");
  }
  return items;
}

/** The 8-character form of an id that people read and type. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/**
 * `$0.0024` — four decimals: one agent turn often costs a fraction of a cent.
 *
 * @example
 * formatCost(0.0024); // "$0.0024"
 */
export function formatCost(usd: number): string {
  return `$${usd.toFixed(4)}`;
}

/**
 * A token count, short: `950`, `12.3k`, `4.1M`.
 *
 * @example
 * formatTokens(12_345); // "12.3k"
 */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 999_950) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** `12.3k in / 950 out`: an agent's or a run's tokens. */
export function formatTokenPair(input: number, output: number): string {
  return `${formatTokens(input)} in / ${formatTokens(output)} out`;
}

/**
 * What a run spent, for summary lines: the cost, and the tokens when any
 * were recorded. Tokens without dollars (Codex without prices) show no `$`.
 *
 * @example
 * formatSpend(0.0024, 0, 0);     // "$0.0024"
 * formatSpend(0, 1200, 80);      // "1.2k in / 80 out tokens"
 */
export function formatSpend(
  usd: number,
  inputTokens: number,
  outputTokens: number,
): string {
  if (inputTokens + outputTokens === 0) return formatCost(usd);
  const tokens = `${formatTokenPair(inputTokens, outputTokens)} tokens`;
  return usd > 0 ? `${formatCost(usd)} · ${tokens}` : tokens;
}

/** Local wall-clock time of an ISO stamp: `14:03:27`. */
export function clockTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Resolve after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

/**
 * An AbortSignal that fires on the first Ctrl-C (or SIGTERM), for commands
 * that run until stopped (`--watch`, `--follow`). `dispose` removes the handlers.
 */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    },
  };
}
