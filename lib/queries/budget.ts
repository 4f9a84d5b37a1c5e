/**
 * An orchestration's budget against what it spent, read from its state:
 * what `status` shows, what the run checks before each turn, and what is
 * left for the next Claude invocation's `--max-budget-usd`.
 *
 * @module
 */
import type { OrchestrationState } from "../../store/schema.ts";

/** `status --json`'s `budget` (null limits: none of that kind). */
export interface BudgetView {
  usd: number | null;
  tokens: number | null;
  spentUsd: number;
  spentTokens: number;
  /** Spending is at or past a limit: no new turn starts until the budget is raised. */
  reached: boolean;
}

/**
 * The budget of `state` and its spending, or null when it has none.
 *
 * @example
 * budgetView(state)?.reached; // true once cost ≥ budget.usd
 */
export function budgetView(state: OrchestrationState): BudgetView | null {
  const limit = state.budget;
  if (!limit || (limit.usd === null && limit.tokens === null)) return null;
  const spentUsd = state.cost;
  const spentTokens = state.inputTokens + state.outputTokens;
  return {
    usd: limit.usd,
    tokens: limit.tokens,
    spentUsd,
    spentTokens,
    reached: (limit.usd !== null && spentUsd >= limit.usd) ||
      (limit.tokens !== null && spentTokens >= limit.tokens),
  };
}

/** USD that may still be spent; undefined when there is no dollar limit. */
export function budgetLeftUsd(state: OrchestrationState): number | undefined {
  const usd = state.budget?.usd;
  if (usd === undefined || usd === null) return undefined;
  return Math.max(0, usd - state.cost);
}

/**
 * The flag a reached budget's resume line suggests: twice the budget, or
 * what is spent plus the budget when that is more (resume refuses a total
 * not above what is spent), e.g.
 * ` --budget 2.00` or ` --budget-tokens 45418`.
 */
export function moreBudgetFlag(b: BudgetView): string {
  if (b.usd !== null && b.spentUsd >= b.usd) {
    const usd = b.usd * 2 > b.spentUsd
      ? b.usd * 2
      // Rounded up to the cent, so it stays above what is spent.
      : Math.ceil((b.spentUsd + b.usd) * 100 - 1e-9) / 100;
    return ` --budget ${usd.toFixed(2)}`;
  }
  if (b.tokens === null) return "";
  const tokens = b.tokens * 2 > b.spentTokens
    ? b.tokens * 2
    : b.spentTokens + b.tokens;
  return ` --budget-tokens ${tokens}`;
}
