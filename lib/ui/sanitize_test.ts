import assert from "node:assert/strict";
import { printable } from "./sanitize.ts";

// Anything a terminal would act on: C0 but tab, DEL, C1.
// deno-lint-ignore no-control-regex
const ACTIVE = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;

Deno.test("colour codes from agent output are removed, the text kept", () => {
  assert.equal(printable("out \x1b[31mred\x1b[0m"), "out red");
  assert.equal(printable("\x1b[1;38;5;208mbold\x1b[m"), "bold");
  assert.equal(printable("\x9b31mC1 csi"), "C1 csi");
});

Deno.test("a title-setting OSC (BEL or ST) and a hyperlink leave nothing behind", () => {
  assert.equal(printable("\x1b]0;pwned\x07 title"), " title");
  assert.equal(printable("\x1b]2;pwned\x1b\\ title"), " title");
  assert.equal(
    printable("\x1b]8;;https://x.example\x07link\x1b]8;;\x07"),
    "link",
  );
  assert.equal(printable("a\x1bPdcs data\x1b\\b"), "ab");
});

Deno.test("cursor moves, screen clears and resets are removed", () => {
  assert.equal(printable("a\x1b[2J\x1b[H\x1b[1Ab\x1bc\x1b7\x1b(Bc"), "abc");
});

Deno.test("other control characters are shown as \\xHH, tabs kept", () => {
  assert.equal(
    printable("bell\x07 nul\x00 del\x7f"),
    "bell\\x07 nul\\x00 del\\x7f",
  );
  assert.equal(printable("a\tb"), "a\tb");
  assert.equal(printable("over\rwrite"), "over\\x0dwrite");
  assert.equal(printable("c1 \x85 next line"), "c1 \\x85 next line");
  // An unterminated OSC loses its ESC, so it cannot swallow what follows.
  assert.equal(printable("\x1b]0;never ends"), "0;never ends");
  assert.equal(printable("lone \x1b"), "lone \\x1b");
});

Deno.test("line breaks are escaped unless asked for, and CRLF becomes LF", () => {
  assert.equal(printable("a\nb"), "a\\x0ab");
  assert.equal(printable("a\r\nb\nc", { newlines: true }), "a\nb\nc");
});

Deno.test("emoji, CJK, accents and right-to-left text are untouched", () => {
  const text = "✅ 完成 — café 👨‍👩‍👧 🇩🇪 שלום ⏸️";
  assert.equal(printable(text), text);
});

Deno.test("no control character survives, whatever the input", () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = [
    "\x1b",
    "[",
    "]",
    "\x07",
    "\\",
    "0",
    ";",
    "m",
    "a",
    "\x9b",
    "\x9d",
    "\x9c",
    "\n",
    "\r",
    "P",
    "\x00",
    "é",
    "🎉",
  ];
  for (let i = 0; i < 2000; i++) {
    let text = "";
    const length = Math.floor(random() * 20);
    for (let j = 0; j < length; j++) {
      text += alphabet[Math.floor(random() * alphabet.length)];
    }
    assert.ok(!ACTIVE.test(printable(text)), JSON.stringify(text));
  }
});
