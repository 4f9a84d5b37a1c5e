/**
 * Budgets that pause, never kill: the budget an orchestration starts or
 * resumes with (`--budget`, `--budget-tokens`, maos.json), and the line
 * that says it was reached. The run checks `budgetView(state).reached`
 * before each turn and after each cost event (run.ts).
 *
 * @module
 */
import { usageError } from "../../store/errors.ts";
import type {
  Config,
  NewEvent,
  OrchestrationState,
} from "../../store/schema.ts";
import { budgetView, moreBudgetFlag } from "../queries/budget.ts";
import type { BudgetOptions } from "./run_options.ts";

/** `$2.50` for whole cents (a budget), else `$0.0312` (a turn often costs a fraction of a cent). */
export function formatUsd(usd: number): string {
  const cents = usd * 100;
  return Math.abs(cents - Math.round(cents)) < 1e-6
    ? `$${usd.toFixed(2)}`
    : `$${usd.toFixed(4)}`;
}

/** `200000` → `200,000`. */
function formatTokens(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Reject a budget that is not a positive amount (exit 2). */
export function checkBudgetOptions(budget: BudgetOptions | undefined): void {
  if (budget?.usd !== undefined && !(budget.usd > 0)) {
    throw usageError(
      `--budget must be an amount in USD above 0, got ${budget.usd}`,
      "e.g. --budget 2.50",
    );
  }
  if (
    budget?.tokens !== undefined &&
    !(Number.isInteger(budget.tokens) && budget.tokens > 0)
  ) {
    throw usageError(
      `--budget-tokens must be a whole number above 0, got ${budget.tokens}`,
      "e.g. --budget-tokens 200000",
    );
  }
}

/**
 * The budget event a new orchestration starts with: the flags, else
 * maos.json's `budgetUsd`/`budgetTokens`; undefined when there is none.
 */
export function initialBudget(
  budget: BudgetOptions | undefined,
  config: Config,
): NewEvent | undefined {
  const usd = budget?.usd ?? config.budgetUsd ?? null;
  const tokens = budget?.tokens ?? config.budgetTokens ?? null;
  if (usd === null && tokens === null) return undefined;
  return { type: "orchestration.budget", usd, tokens };
}

/**
 * `resume --budget`: a new total of that kind (the other kind stays). A
 * total at or below what is already spent would pause again at once, so
 * it is refused before anything runs.
 */
export function resumedBudget(
  budget: BudgetOptions | undefined,
  state: OrchestrationState,
): NewEvent | undefined {
  if (budget?.usd === undefined && budget?.tokens === undefined) {
    return undefined;
  }
  const spentTokens = state.inputTokens + state.outputTokens;
  if (budget.usd !== undefined && budget.usd <= state.cost) {
    throw usageError(
      `--budget ${formatUsd(budget.usd)} is not above what is spent already (${
        formatUsd(state.cost)
      })`,
      "the budget is a new total: give more than that",
    );
  }
  if (budget.tokens !== undefined && budget.tokens <= spentTokens) {
    throw usageError(
      `--budget-tokens ${budget.tokens} is not above the ${spentTokens} tokens spent already`,
      "the budget is a new total: give more than that",
    );
  }
  return {
    type: "orchestration.budget",
    usd: budget.usd ?? state.budget?.usd ?? null,
    tokens: budget.tokens ?? state.budget?.tokens ?? null,
  };
}

/**
 * `💰 Budget $1.00 reached ($1.0312 spent). Resume with: maos orchestration
 * resume a1b2c3d4 --budget 2.00` — the suggestion doubles the budget, and is
 * always above what is spent.
 */
export function budgetReachedLine(state: OrchestrationState): string {
  const view = budgetView(state);
  const resume = `Resume with: maos orchestration resume ${
    state.id.slice(0, 8)
  }`;
  const more = view ? moreBudgetFlag(view) : "";
  if (view?.usd !== null && view && view.spentUsd >= view.usd) {
    return `💰 Budget ${formatUsd(view.usd)} reached (${
      formatUsd(view.spentUsd)
    } spent). ${resume}${more}`;
  }
  return `💰 Budget ${formatTokens(view?.tokens ?? 0)} tokens reached (${
    formatTokens(view?.spentTokens ?? 0)
  } tokens spent). ${resume}${more}`;
}

/** `💰 Budget $0.50 ($0.3022 spent, $0.1978 left)` — said when a run starts with a budget. */
export function budgetStartLine(state: OrchestrationState): string | undefined {
  const view = budgetView(state);
  if (!view) return undefined;
  const parts: string[] = [];
  if (view.usd !== null) {
    parts.push(
      `${formatUsd(view.usd)} (${formatUsd(view.spentUsd)} spent, ${
        formatUsd(Math.max(0, view.usd - view.spentUsd))
      } left)`,
    );
  }
  if (view.tokens !== null) {
    parts.push(
      `${formatTokens(view.tokens)} tokens (${
        formatTokens(view.spentTokens)
      } spent)`,
    );
  }
  return `💰 Budget ${parts.join(" and ")}`;
}
