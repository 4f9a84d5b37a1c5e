import process from "node:process";
import { assert, assertEquals } from "./_test_assert.ts";
import { FIXTURES, groupMembers, waitGroupGone } from "./_test_helpers.ts";

/** Start the fixture that plays maos; resolve with it and the agent group ids it printed. */
async function startHost(...args: string[]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${FIXTURES}watchdog_host.ts`, ...args],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  const match = /^PIDS ([\d ]+)$/m.exec(text);
  assert(match, `host printed: ${text}`);
  return { child, reader, groups: match[1].split(" ").map(Number) };
}

Deno.test("after kill -9 of maos, the agent process groups it watched are gone within 5 s", async () => {
  const { child, reader, groups } = await startHost();
  for (const g of groups) {
    assert(groupMembers(g).length >= 2, `group ${g} not running`);
  }
  child.kill("SIGKILL");
  await child.status;
  await reader.cancel();
  const killedAt = Date.now();
  for (const g of groups) {
    assert(
      await waitGroupGone(g, 5000 - (Date.now() - killedAt)),
      `group ${g} survived`,
    );
  }
});

Deno.test("a clean close ends the watchdog without killing anything", async () => {
  const { child, reader, groups } = await startHost("--close");
  try {
    const status = await child.status;
    await reader.cancel();
    assertEquals(status.code, 0);
    // Longer than the watchdog's TERM→KILL second: had it fired, they'd be gone.
    await new Promise((r) => setTimeout(r, 1500));
    for (const g of groups) {
      assert(groupMembers(g).length >= 2, `group ${g} was killed`);
    }
  } finally {
    for (const g of groups) {
      try {
        process.kill(-g, "SIGKILL");
      } catch { /* gone */ }
    }
  }
});
