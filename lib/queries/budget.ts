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
