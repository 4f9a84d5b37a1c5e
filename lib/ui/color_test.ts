import assert from "node:assert/strict";
import {
  colorEnabled,
  colors,
  createColors,
  setColorEnabled,
} from "./color.ts";

Deno.test("colour is on for a TTY with a plain environment", () => {
  assert.equal(colorEnabled({ isTTY: true, env: {} }), true);
});

Deno.test("colour is off when the stream is not a TTY", () => {
  assert.equal(colorEnabled({ isTTY: false, env: {} }), false);
  assert.equal(colorEnabled({ env: {} }), false);
});

Deno.test("NO_COLOR turns colour off whatever its value, even empty", () => {
  for (const value of ["1", "", "0", "false"]) {
    assert.equal(
      colorEnabled({ isTTY: true, env: { NO_COLOR: value } }),
      false,
    );
  }
});

Deno.test("--no-color turns colour off even with FORCE_COLOR", () => {
  assert.equal(
    colorEnabled({ isTTY: true, env: { FORCE_COLOR: "1" }, noColorFlag: true }),
    false,
  );
});

Deno.test("NO_COLOR wins over FORCE_COLOR", () => {
  assert.equal(
    colorEnabled({ isTTY: true, env: { NO_COLOR: "1", FORCE_COLOR: "1" } }),
    false,
  );
});

Deno.test("FORCE_COLOR turns colour on for a pipe, unless it is 0 or false", () => {
  assert.equal(colorEnabled({ isTTY: false, env: { FORCE_COLOR: "1" } }), true);
  assert.equal(colorEnabled({ isTTY: false, env: { FORCE_COLOR: "" } }), true);
  assert.equal(colorEnabled({ isTTY: true, env: { FORCE_COLOR: "0" } }), false);
  assert.equal(
    colorEnabled({ isTTY: true, env: { FORCE_COLOR: "false" } }),
    false,
  );
});

Deno.test("a dumb terminal gets no colour", () => {
  assert.equal(colorEnabled({ isTTY: true, env: { TERM: "dumb" } }), false);
});

Deno.test("disabled colours return text unchanged and enabled ones wrap it", () => {
  const off = createColors(false);
  const on = createColors(true);
  for (
    const name of [
      "bold",
      "dim",
      "red",
      "green",
      "yellow",
      "cyan",
      "gray",
    ] as const
  ) {
    assert.equal(off[name]("x"), "x");
    // deno-lint-ignore no-control-regex
    assert.match(on[name]("x"), /^\x1b\[\d+mx\x1b\[\d+m$/);
  }
  assert.equal(off.enabled, false);
  assert.equal(on.enabled, true);
});

Deno.test("the process-wide colours start off and follow setColorEnabled", () => {
  assert.equal(colors().red("x"), "x");
  setColorEnabled(true);
  try {
    assert.equal(colors().red("x"), "\x1b[31mx\x1b[39m");
  } finally {
    setColorEnabled(false);
  }
  assert.equal(colors().enabled, false);
});
