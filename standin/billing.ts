/**
 * What the stand-in charged, as the real API would bill it: the input of a
 * message once its `message_start` went out, its output once its
 * `message_delta` did. A test compares maos's recorded cost with this sum
 * (priced here, independently of maos's own price table).
 */

/** One billed part of a response. */
export interface Bill {
  model: string;
  input: number;
  output: number;
}

/** Anthropic's list prices in USD per million tokens (input, output), by model family. */
const PRICES: [RegExp, number, number][] = [
  [/opus/, 5, 25],
  [/sonnet/, 3, 15],
  [/haiku/, 1, 5],
];

/**
 * USD of the bills at list prices.
 *
 * @example
 * chargedUsd([{ model: "claude-opus-4-8", input: 1000, output: 100 }]); // 0.0075
 */
export function chargedUsd(bills: Bill[]): number {
  let usd = 0;
  for (const bill of bills) {
    const [, input, output] = PRICES.find(([re]) => re.test(bill.model)) ??
      PRICES[0];
    usd += (bill.input * input + bill.output * output) / 1e6;
  }
  return Math.round(usd * 1e9) / 1e9;
}

/** The part of one SSE event that bills (Anthropic's message_start and message_delta). */
export function billOf(model: string, data: unknown): Bill | undefined {
  const d = data as {
    type?: string;
    message?: { usage?: Record<string, number> };
    usage?: Record<string, number>;
  };
  if (d?.type === "message_start") {
    const u = d.message?.usage ?? {};
    const input = (u.input_tokens ?? 0) +
      (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
    // The start's output count is a placeholder the delta replaces.
    return { model, input, output: 0 };
  }
  if (d?.type === "message_delta") {
    return { model, input: 0, output: d.usage?.output_tokens ?? 0 };
  }
  return undefined;
}
