import assert from "node:assert/strict";
import { displayWidth, stripAnsi } from "./text_width.ts";
import { MESSAGE_ICONS, STATUS_ICONS } from "./icons.ts";

Deno.test("plain ASCII is one column per character", () => {
  assert.equal(displayWidth(""), 0);
  assert.equal(displayWidth("abc def"), 7);
});

Deno.test("every status and message icon is two columns wide", () => {
  for (
    const icon of [
      ...Object.values(STATUS_ICONS),
      ...Object.values(MESSAGE_ICONS),
    ]
  ) {
    assert.equal(displayWidth(icon), 2, `icon ${icon}`);
  }
});

Deno.test("CJK is two columns, combining marks and text-style symbols are not", () => {
  assert.equal(displayWidth("日本"), 4);
  assert.equal(displayWidth("e\u0301"), 1);
  assert.equal(displayWidth("©"), 1);
  assert.equal(displayWidth("…"), 1);
});

Deno.test("a ZWJ family and a flag each count as one two-column emoji", () => {
  assert.equal(displayWidth("👨‍👩‍👧"), 2);
  assert.equal(displayWidth("🇫🇷"), 2);
});

Deno.test("colour escapes take no columns", () => {
  assert.equal(stripAnsi("\x1b[1m\x1b[31mred\x1b[39m\x1b[22m"), "red");
  assert.equal(displayWidth("\x1b[32m✅ ok\x1b[39m"), 5);
});
