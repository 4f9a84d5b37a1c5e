/**
 * Without Chromium the browser tests must fail and say how to install it,
 * never pass by skipping: a child runs the launcher with a path that has none.
 */
import { assert, assertIncludes } from "../e2e/_engine_helpers.ts";

Deno.test("a missing Chromium fails the browser tests with the line that installs it", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { launchChromium } from "${
        new URL("./_chromium.ts", import.meta.url).href
      }"; await launchChromium();`,
    ],
    env: { MAOS_CHROMIUM: "/nonexistent/chromium" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert(out.code !== 0, "it failed");
  assertIncludes(stderr, "Chromium is missing at /nonexistent/chromium");
  assertIncludes(stderr, "apt-get install -y chromium");
});
