import assert from "node:assert/strict";
import { renderTable, truncate } from "./table.ts";
import { displayWidth } from "./text_width.ts";
import { statusLabel } from "./icons.ts";

const head = ["ID", "Status", "Request"];
const rows = [
  ["a1b2c3d4", statusLabel("completed"), "Audit this repository"],
  ["e5f6a7b8", statusLabel("paused"), "日本語のリクエスト"],
];

Deno.test("a table without colour contains no escape codes", () => {
  const out = renderTable(head, rows, { color: false });
  assert.ok(!out.includes("\x1b["), JSON.stringify(out));
  assert.ok(out.startsWith("┌"));
  assert.ok(out.endsWith("┘"));
  assert.ok(out.includes("│ a1b2c3d4 │ ✅ completed │"));
});

Deno.test("a table with colour colours the header and nothing else", () => {
  const out = renderTable(head, rows, { color: true });
  const lines = out.split("\n");
  assert.ok(lines[1].includes("\x1b["), "header is coloured");
  const rest = lines.filter((_, i) => i !== 1).join("\n");
  assert.ok(!rest.includes("\x1b["), "borders and body are not");
});

Deno.test("every line of a table with emoji and CJK has the same width", () => {
  const out = renderTable(head, rows, { color: true });
  const widths = new Set(out.split("\n").map(displayWidth));
  assert.equal(widths.size, 1, out);
});

Deno.test("fixed column widths cut long cells with an ellipsis", () => {
  const out = renderTable(head, rows, {
    color: false,
    colWidths: [10, null, 12],
  });
  assert.ok(out.includes("│ Audit thi… │"), out);
  for (const line of out.split("\n")) {
    assert.equal(displayWidth(line), displayWidth(out.split("\n")[0]));
  }
});

Deno.test("a table with no rows still draws the header box", () => {
  const out = renderTable(head, [], { color: false });
  const lines = out.split("\n");
  assert.equal(lines.length, 3);
  assert.ok(lines[0].startsWith("┌") && lines[2].startsWith("└"));
  assert.ok(lines[1].includes("│ ID │ Status │ Request │"), out);
});

Deno.test("truncate leaves text that fits alone", () => {
  assert.equal(truncate("short", 5), "short");
  assert.equal(truncate("short", 40), "short");
  assert.equal(truncate("", 3), "");
});

Deno.test("truncate cuts to exactly the width, the ellipsis included", () => {
  const cut = truncate("Audit this repository", 10);
  assert.equal(cut, "Audit thi…");
  assert.equal(displayWidth(cut), 10);
  assert.equal(truncate("abcdef", 1), "…");
  assert.equal(truncate("abcdef", 0), "");
});

Deno.test("truncate never splits an emoji and counts it as two columns", () => {
  assert.equal(truncate("ok ✅✅✅ done", 6), "ok ✅…");
  // A two-column emoji that would overrun is dropped, leaving a narrower cut.
  assert.equal(truncate("ab✅cd", 4), "ab…");
  assert.equal(displayWidth(truncate("ab✅cd", 4)), 3);
  assert.equal(truncate("👨‍👩‍👧 family", 3), "👨‍👩‍👧…");
});

Deno.test("truncate counts CJK as two columns", () => {
  const cut = truncate("日本語のリクエスト", 7);
  assert.equal(cut, "日本語…");
  assert.equal(displayWidth(cut), 7);
});
