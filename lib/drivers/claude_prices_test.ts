import { assertEquals } from "./_test_assert.ts";
import { pricesFor, priceUsage } from "./claude_prices.ts";

Deno.test("models are priced by family as Claude Code prices them; a [1m] suffix is ignored", () => {
  const io = (m: string) => {
    const p = pricesFor(m);
    return [p.inputPerMTok, p.outputPerMTok];
  };
  assertEquals(io("claude-opus-4-8[1m]"), [5, 25]);
  assertEquals(io("claude-opus-4-5-20251101"), [5, 25]);
  assertEquals(io("claude-opus-4-1-20250805"), [15, 75]);
  assertEquals(io("claude-opus-4-20250514"), [15, 75]);
  assertEquals(io("claude-sonnet-4-5"), [3, 15]);
  assertEquals(io("claude-haiku-4-5"), [1, 5]);
  assertEquals(io("claude-3-5-haiku-20241022"), [0.8, 4]);
  assertEquals(io("something-new"), [5, 25]);
});

Deno.test("cache writes and reads have their own prices", () => {
  const usd = priceUsage({
    model: "claude-opus-4-8",
    input: 1_000_000,
    cacheWrite: 1_000_000,
    cacheRead: 1_000_000,
    output: 1_000_000,
  });
  assertEquals(usd, 5 + 6.25 + 0.5 + 25);
});
