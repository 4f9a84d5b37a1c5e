import { assertEquals, assertMaosError } from "../../store/_test_util.ts";
import { defaultConfig, type OrchestrationState } from "../../store/schema.ts";
import { ExitCode } from "../../store/errors.ts";
import {
  budgetReachedLine,
  checkBudgetOptions,
  initialBudget,
  resumedBudget,
} from "./budget_guard.ts";
import { budgetLeftUsd, budgetView } from "../queries/budget.ts";

function spent(
  cost: number,
  tokens: number,
  budget?: { usd: number | null; tokens: number | null },
): OrchestrationState {
  return {
    id: "0123456789ab",
    cost,
    inputTokens: tokens,
    outputTokens: 0,
    ...(budget ? { budget } : {}),
  } as OrchestrationState;
}

Deno.test("a new orchestration takes the flags' budget, else maos.json's, else none", () => {
  const config = { ...defaultConfig(), budgetUsd: 3 };
  assertEquals(initialBudget({ usd: 1 }, config), {
    type: "orchestration.budget",
    usd: 1,
    tokens: null,
  });
  assertEquals(initialBudget(undefined, config), {
    type: "orchestration.budget",
    usd: 3,
    tokens: null,
  });
  assertEquals(initialBudget(undefined, defaultConfig()), undefined);
});

Deno.test("resume --budget is a new total of its kind, and must be above what is spent", () => {
  const state = spent(0.5, 900, { usd: 0.4, tokens: 1000 });
  assertEquals(resumedBudget({ usd: 2 }, state), {
    type: "orchestration.budget",
    usd: 2,
    tokens: 1000,
  });
  assertEquals(resumedBudget(undefined, state), undefined);
  assertMaosError(
    () => resumedBudget({ usd: 0.5 }, state),
    ExitCode.usage,
    "--budget $0.50 is not above what is spent already ($0.50)",
  );
  assertMaosError(
    () => resumedBudget({ tokens: 900 }, state),
    ExitCode.usage,
    "not above the 900 tokens spent",
  );
  assertMaosError(() => checkBudgetOptions({ usd: 0 }), ExitCode.usage);
  assertMaosError(() => checkBudgetOptions({ tokens: 1.5 }), ExitCode.usage);
});

Deno.test("the budget is reached at its amount, in dollars or in tokens, and says how to go on", () => {
  assertEquals(budgetView(spent(1, 0)), null);
  const usd = spent(1.03125, 10, { usd: 1, tokens: null });
  assertEquals(budgetView(usd)?.reached, true);
  assertEquals(budgetLeftUsd(usd), 0);
  assertEquals(budgetLeftUsd(spent(0.25, 0, { usd: 1, tokens: null })), 0.75);
  assertEquals(
    budgetReachedLine(usd),
    "💰 Budget $1.00 reached ($1.0313 spent). Resume with: maos orchestration resume 01234567 --budget 2.00",
  );
  const tokens = spent(0.2, 250_000, { usd: 5, tokens: 200_000 });
  assertEquals(budgetView(tokens)?.reached, true);
  assertEquals(
    budgetReachedLine(tokens),
    "💰 Budget 200,000 tokens reached (250,000 tokens spent). Resume with: maos orchestration resume 01234567 --budget-tokens 400000",
  );
  assertEquals(
    budgetView(spent(0.2, 10, { usd: 5, tokens: 200_000 }))?.reached,
    false,
  );
});

Deno.test("the resume command a reached budget suggests is one resume accepts, also when spending went far past it", () => {
  for (
    const state of [
      spent(0.1154, 22_709, { usd: 0.01, tokens: null }),
      spent(0.1154, 22_709, { usd: null, tokens: 2 }),
      spent(1.03125, 10, { usd: 1, tokens: null }),
    ]
  ) {
    const line = budgetReachedLine(state);
    const usd = / --budget (\S+)$/.exec(line)?.[1];
    const tokens = / --budget-tokens (\S+)$/.exec(line)?.[1];
    const suggested = usd ? { usd: Number(usd) } : { tokens: Number(tokens) };
    // Throws (exit 2) when the suggestion is not above what is spent.
    resumedBudget(suggested, state);
  }
});
