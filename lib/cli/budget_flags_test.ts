import { assertEquals } from "../../store/_test_util.ts";
import { budgetFrom, tokensArg, usdArg } from "./budget_flags.ts";

function throws(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch {
    return true;
  }
}

Deno.test("--budget takes dollars (with or without $), --budget-tokens whole tokens or k/M", () => {
  assertEquals([usdArg("2"), usdArg("2.50"), usdArg("$0.25")], [2, 2.5, 0.25]);
  for (const bad of ["0", "-1", "abc", "2,50", ""]) {
    assertEquals(throws(() => usdArg(bad)), true, `--budget ${bad}`);
  }
  assertEquals(
    [tokensArg("200000"), tokensArg("200k"), tokensArg("1.5M")],
    [200_000, 200_000, 1_500_000],
  );
  for (const bad of ["0", "1.5x", "-3", "k", "1.5", "1.2345k"]) {
    assertEquals(throws(() => tokensArg(bad)), true, `--budget-tokens ${bad}`);
  }
  assertEquals(budgetFrom({}), undefined);
  assertEquals(budgetFrom({ budgetTokens: 10 }), { tokens: 10 });
  assertEquals(budgetFrom({ budget: 1, budgetTokens: 10 }), {
    usd: 1,
    tokens: 10,
  });
});
