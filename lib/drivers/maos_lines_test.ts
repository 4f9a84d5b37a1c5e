import { assertEquals } from "./_test_assert.ts";
import {
  parseMaosLine,
  parseMaosText,
  withoutMaosLines,
} from "./maos_lines.ts";

Deno.test("a discovery line without recipient is a message to nobody in particular", () => {
  assertEquals(parseMaosLine("::maos::discovery:: the API has no auth"), {
    type: "message",
    kind: "discovery",
    to: null,
    content: "the API has no auth",
  });
});

Deno.test("to=AGENT names the recipient", () => {
  assertEquals(
    parseMaosLine("::maos::request to=tester-001:: run the e2e suite"),
    {
      type: "message",
      kind: "request",
      to: "tester-001",
      content: "run the e2e suite",
    },
  );
});

Deno.test("every message kind is recognised", () => {
  for (const kind of ["discovery", "request", "broadcast", "info", "error"]) {
    assertEquals(parseMaosLine(`::maos::${kind}:: x`).type, "message");
  }
});

Deno.test("content keeps inner colons and is trimmed", () => {
  assertEquals(parseMaosLine("::maos::info::   a :: b: c  "), {
    type: "message",
    kind: "info",
    to: null,
    content: "a :: b: c",
  });
});

Deno.test("a progress line gives a percent, with or without %", () => {
  assertEquals(parseMaosLine("::maos::progress:: 40"), {
    type: "progress",
    percent: 40,
  });
  assertEquals(parseMaosLine("::maos::progress::100%"), {
    type: "progress",
    percent: 100,
  });
  assertEquals(parseMaosLine("::maos::progress:: 12.6"), {
    type: "progress",
    percent: 13,
  });
});

Deno.test("ordinary lines are output", () => {
  assertEquals(parseMaosLine("compiling…"), {
    type: "output",
    line: "compiling…",
  });
  assertEquals(parseMaosLine(""), { type: "output", line: "" });
});

Deno.test("malformed maos lines are kept as output, not swallowed", () => {
  const bad = [
    "::maos::shout:: hi", // unknown kind
    "::maos::discovery::", // no text
    "::maos::discovery::   ", // only blanks
    "::maos::discovery hi", // missing closing ::
    "::maos::request to=:: hi", // empty recipient
    "::maos::request to=a b:: hi", // recipient with a space
    "::maos::progress:: 150", // out of range
    "::maos::progress:: -5", // negative
    "::maos::progress:: forty", // not a number
    "echo ::maos::info:: x", // not at the start
    "  ::maos::discovery:: TEXT", // indented, as in the prompt's examples
    "::MAOS::info:: x", // wrong case of the prefix
  ];
  for (const line of bad) {
    assertEquals(parseMaosLine(line), { type: "output", line }, line);
  }
});

Deno.test("a block of text is parsed line by line", () => {
  assertEquals(
    parseMaosText("done\r\n::maos::progress:: 50\n::maos::info:: ok"),
    [
      { type: "output", line: "done" },
      { type: "progress", percent: 50 },
      { type: "message", kind: "info", to: null, content: "ok" },
    ],
  );
});

Deno.test("a summary keeps the text and drops the control lines (messages, progress), not look-alikes", () => {
  assertEquals(
    withoutMaosLines(
      "Looked at it\n::maos::discovery:: no auth\r\n::maos::progress:: 50\n" +
        "  ::maos::info:: shown as written\nAll done",
    ),
    "Looked at it\n  ::maos::info:: shown as written\nAll done",
  );
  assertEquals(withoutMaosLines("::maos::progress:: 100\n"), "");
});
