/**
 * What Claude Code would charge for a model's tokens, for usage that no
 * result line priced (a run cut by kill -9 or SIGKILL): Anthropic's list
 * prices as Claude Code 2.1.197 applies them, overridden by
 * `drivers.claude.pricing` in maos.json (by model name prefix), and
 * corrected by what the CLI's own `modelUsage` said earlier in this run.
 */
import type { TokenPricing } from "../../store/schema.ts";

/** One API message's usage: input split as the API reports it. */
export interface MessageUsage {
  model: string;
  input: number;
  cacheWrite: number;
  cacheRead: number;
  output: number;
}

/** Cache writes cost 1.25× input, cache reads 0.1× (Anthropic's 5-minute cache). */
function list(input: number, output: number): TokenPricing {
  return {
    inputPerMTok: input,
    outputPerMTok: output,
    cacheWritePerMTok: input * 1.25,
    cachedInputPerMTok: input * 0.1,
  };
}

/** First match wins; Claude Code's default model (Opus 4.5 and later) last. */
const LIST_PRICES: [RegExp, TokenPricing][] = [
  [/claude-3-opus|opus-4(-[01])?(-20\d{6})?$/, list(15, 75)],
  [/opus/, list(5, 25)],
  [/sonnet/, list(3, 15)],
  [/3-5-haiku|haiku-3-5/, list(0.8, 4)],
  [/3-haiku|haiku-3\b/, list(0.25, 1.25)],
  [/haiku/, list(1, 5)],
];
const DEFAULT_PRICE = list(5, 25);

/**
 * The prices of `model`: the longest matching prefix in `table`, else the
 * list price of its family (a `[1m]`-style suffix ignored).
 *
 * @example
 * pricesFor("claude-opus-4-8").inputPerMTok; // 5
 */
export function pricesFor(
  model: string,
  table: Record<string, TokenPricing> = {},
): TokenPricing {
  const name = model.replace(/\[.*\]$/, "");
  const prefix = Object.keys(table).filter((p) => name.startsWith(p))
    .sort((a, b) => b.length - a.length)[0];
  if (prefix) return table[prefix];
  return LIST_PRICES.find(([pattern]) => pattern.test(name))?.[1] ??
    DEFAULT_PRICE;
}

/**
 * What the CLI's own `modelUsage` taught about its prices: per model (no
 * suffix), the ratio of its `costUSD` to maos's price for the same tokens.
 * Estimates after the first result of a model are then priced as the CLI
 * prices it, whatever the table says.
 */
export type LearnedPrices = Map<string, number>;

/** Read a result line's `modelUsage` into `learned`. */
export function learnPrices(
  modelUsage: unknown,
  learned: LearnedPrices,
  table?: Record<string, TokenPricing>,
): void {
  if (!modelUsage || typeof modelUsage !== "object") return;
  for (const [model, raw] of Object.entries(modelUsage)) {
    const u = raw as Record<string, unknown>;
    const n = (v: unknown) => typeof v === "number" && v > 0 ? v : 0;
    const name = model.replace(/\[.*\]$/, "");
    const ours = priceUsage({
      model: name,
      input: n(u.inputTokens),
      cacheWrite: n(u.cacheCreationInputTokens),
      cacheRead: n(u.cacheReadInputTokens),
      output: n(u.outputTokens),
    }, table);
    const theirs = n(u.costUSD);
    if (ours > 0 && theirs > 0) learned.set(name, theirs / ours);
  }
}

/**
 * USD of one message's usage.
 *
 * @example
 * priceUsage({ model: "claude-opus-4-8", input: 1000, cacheWrite: 0, cacheRead: 0, output: 100 }); // 0.0075
 */
export function priceUsage(
  usage: MessageUsage,
  table?: Record<string, TokenPricing>,
  learned?: LearnedPrices,
): number {
  const p = pricesFor(usage.model, table);
  const scale = learned?.get(usage.model.replace(/\[.*\]$/, "")) ?? 1;
  return scale * (usage.input * p.inputPerMTok +
    usage.cacheWrite * (p.cacheWritePerMTok ?? p.inputPerMTok) +
    usage.cacheRead * (p.cachedInputPerMTok ?? p.inputPerMTok) +
    usage.output * p.outputPerMTok) /
    1e6;
}
