import assert from "node:assert/strict";
import { progressBar } from "./progress.ts";

Deno.test("a progress bar shows the filled share, the count and the percentage", () => {
  assert.equal(progressBar(4, 10, 10), "[████░░░░░░] 4/10 (40%)");
  assert.equal(progressBar(0, 10, 10), "[░░░░░░░░░░] 0/10 (0%)");
  assert.equal(progressBar(10, 10, 10), "[██████████] 10/10 (100%)");
});

Deno.test("the default bar is thirty columns wide", () => {
  const bar = progressBar(1, 2);
  assert.equal(bar, `[${"█".repeat(15)}${"░".repeat(15)}] 1/2 (50%)`);
});

Deno.test("the bar and percentage round down so they reach full only when done", () => {
  assert.equal(progressBar(199, 200, 10), "[█████████░] 199/200 (99%)");
  assert.equal(progressBar(1, 3, 10), "[███░░░░░░░] 1/3 (33%)");
  assert.equal(progressBar(2, 3, 10), "[██████░░░░] 2/3 (66%)");
});

Deno.test("percentages that are exact stay exact despite floating point", () => {
  for (let d = 0; d <= 100; d++) {
    assert.ok(progressBar(d, 100, 100).endsWith(`(${d}%)`), `at ${d}`);
  }
});

Deno.test("nothing to do is an empty bar at 0%, and done is clamped to the total", () => {
  assert.equal(progressBar(0, 0, 4), "[░░░░] 0/0 (0%)");
  assert.equal(progressBar(12, 10, 4), "[████] 10/10 (100%)");
  assert.equal(progressBar(-1, 10, 4), "[░░░░] 0/10 (0%)");
});
