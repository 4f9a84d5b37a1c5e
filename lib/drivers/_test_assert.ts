/**
 * Minimal assertions for the driver tests: JSR (@std/assert) is unreachable
 * on these machines (TOOLCHAIN.md), so node:assert does the work.
 */
import nodeAssert from "node:assert/strict";
import { MaosError } from "../../store/errors.ts";

/** Fails unless `cond` is truthy. */
export function assert(cond: unknown, msg?: string): asserts cond {
  nodeAssert.ok(cond, msg);
}

/** Deep, strict equality. */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, msg);
}

/** Passes when `actual` contains `expected`. */
export function assertStringIncludes(actual: string, expected: string): void {
  nodeAssert.ok(
    actual.includes(expected),
    `expected ${JSON.stringify(actual)} to include ${JSON.stringify(expected)}`,
  );
}

/** Awaits `fn` and returns what it rejects with; fails if it resolves. */
export async function assertRejects(
  fn: () => Promise<unknown>,
): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new nodeAssert.AssertionError({ message: "expected a rejection" });
}

/** The MaosError `fn` throws; fails when it throws nothing or something else. */
export function thrown(fn: () => unknown): MaosError {
  try {
    fn();
  } catch (err) {
    assert(err instanceof MaosError, String(err));
    return err;
  }
  throw new Error("expected a MaosError");
}
