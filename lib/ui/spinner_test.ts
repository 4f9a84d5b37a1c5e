import assert from "node:assert/strict";
import { createSteps } from "./spinner.ts";

function sink(isTTY?: boolean) {
  const chunks: string[] = [];
  return {
    chunks,
    text: () => chunks.join(""),
    isTTY,
    write: (s: string) => void chunks.push(s),
  };
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("off a TTY steps are plain lines with no escape codes", async () => {
  const out = sink(false);
  const steps = createSteps(out, { color: false });
  steps.step("Plan loaded");
  const value = await steps.run("Loading", delay(30).then(() => 42));
  steps.fail("Agent b crashed");
  assert.equal(value, 42);
  assert.equal(out.text(), "✓ Plan loaded\n✓ Loading\n✗ Agent b crashed\n");
});

Deno.test("a failed run off a TTY prints a cross and rethrows the error", async () => {
  const out = sink();
  const steps = createSteps(out);
  await assert.rejects(
    steps.run("Saving", async () => {
      await delay(1);
      throw new Error("disk full");
    }),
    /disk full/,
  );
  assert.equal(out.text(), "✗ Saving\n");
});

Deno.test("a run given a function that throws at once still prints a cross", async () => {
  const out = sink();
  const steps = createSteps(out);
  await assert.rejects(
    steps.run("Saving", () => {
      throw new Error("boom");
    }),
    /boom/,
  );
  assert.equal(out.text(), "✗ Saving\n");
});

Deno.test("colour off a TTY is used only when asked for, with no cursor codes", async () => {
  const out = sink(false);
  const steps = createSteps(out, { color: true });
  await steps.run("Loading", Promise.resolve(1));
  assert.equal(out.text(), "\x1b[32m✓\x1b[39m Loading\n");
  assert.ok(!out.text().includes("\r"));
});

Deno.test("on a TTY a run animates a spinner and ends on a check line", async () => {
  const out = sink(true);
  const steps = createSteps(out, { intervalMs: 5 });
  await steps.run("Loading", delay(60));
  const text = out.text();
  assert.ok(text.startsWith("⠋ Loading"), JSON.stringify(text));
  assert.ok(text.includes("\r\x1b[2K⠙ Loading"), "second frame drawn");
  assert.ok(text.endsWith("\r\x1b[2K✓ Loading\n"), JSON.stringify(text));
  // The timer is stopped: nothing is written after the run ends.
  const length = out.chunks.length;
  await delay(20);
  assert.equal(out.chunks.length, length);
});

Deno.test("a step printed during a TTY run goes above the spinner", async () => {
  const out = sink(true);
  const steps = createSteps(out, { intervalMs: 1000 });
  await steps.run("Running", async () => {
    steps.step("Agent a done");
    await delay(1);
  });
  assert.equal(
    out.text(),
    "⠋ Running\r\x1b[2K✓ Agent a done\n⠋ Running\r\x1b[2K✓ Running\n",
  );
});

Deno.test("tty defaults to the sink's isTTY", async () => {
  const out = sink(true);
  await createSteps(out, { intervalMs: 1000 }).run("X", Promise.resolve());
  assert.ok(out.text().includes("\x1b[2K"));
});
