/**
 * `--budget USD` and `--budget-tokens N`, shared by `orchestrate` and
 * `orchestration resume` (where they set a new total).
 *
 * @module
 */
import { InvalidArgumentError } from "@commander-js/extra-typings";
import type { BudgetOptions } from "../engine/run_options.ts";

/** Parser for an amount in USD above 0 (`2`, `2.50`, `$2.50`). */
export function usdArg(value: string): number {
  const n = Number(value.trim().replace(/^\$/, ""));
  if (!/^\s*\$?\d+(\.\d+)?\s*$/.test(value) || !(n > 0)) {
    throw new InvalidArgumentError(
      "expected an amount in USD above 0, e.g. 2.50",
    );
  }
  return n;
}

/** Parser for a whole number of tokens above 0 (`200000`, `200k`, `1.5M`). */
export function tokensArg(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(value);
  let n = m
    ? Number(m[1]) *
      (m[2].toLowerCase() === "k" ? 1e3 : m[2].toLowerCase() === "m" ? 1e6 : 1)
    : NaN;
  // `1.5` tokens is a typo, not a budget: refused rather than rounded.
  if (!Number.isInteger(n)) n = NaN;
  if (!(n > 0)) {
    throw new InvalidArgumentError(
      "expected a number of tokens above 0, e.g. 200000 or 200k",
    );
  }
  return n;
}

/** The help of `--budget` and `--budget-tokens`. */
export const BUDGET_HELP = {
  usd: "at this spend in USD running agents pause and maos exits with code 5",
  tokens: "the same in tokens, input + output (for CLIs that report no prices)",
};

/** The flags as the engine takes them; undefined when neither was given. */
export function budgetFrom(
  flags: { budget?: number; budgetTokens?: number },
): BudgetOptions | undefined {
  if (flags.budget === undefined && flags.budgetTokens === undefined) {
    return undefined;
  }
  return {
    ...(flags.budget === undefined ? {} : { usd: flags.budget }),
    ...(flags.budgetTokens === undefined ? {} : { tokens: flags.budgetTokens }),
  };
}
