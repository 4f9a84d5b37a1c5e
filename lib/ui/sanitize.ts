/**
 * Make text from agents, plans and messages safe to print on a terminal.
 *
 * Agent output and messages are written by programs we do not control; an
 * escape sequence in them could recolour the screen, move the cursor, set
 * the window title or worse. Everything such text passes through here before
 * it is shown to people (never in `--json`, where JSON escapes it already).
 *
 * @module
 */

// Terminal escape sequences, C0 (ESC …) and C1 (single code point) forms:
// - strings (OSC, DCS, SOS, PM, APC) up to BEL or ST (ESC \ or U+009C);
// - CSI: parameters, intermediates, one final byte;
// - any other escape: intermediates, one final byte (ESC c, ESC 7, ESC ( B).
export const TERMINAL_SEQUENCE = new RegExp(
  [
    "(?:\\x1b[\\]PX^_]|[\\x90\\x98\\x9d\\x9e\\x9f])[^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c)",
    "(?:\\x1b\\[|\\x9b)[\\x30-\\x3f]*[\\x20-\\x2f]*[\\x40-\\x7e]",
    "\\x1b[\\x20-\\x2f]*[\\x30-\\x7e]",
  ].join("|"),
  "g",
);
// C0 controls but tab, DEL and C1 controls: what is left after TERMINAL_SEQUENCE.
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;
// deno-lint-ignore no-control-regex
const CONTROL_BUT_NEWLINE = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** Options for `printable`. */
export interface PrintableOptions {
  /** Keep line breaks (`\r\n` becomes `\n`); otherwise they are escaped too. */
  newlines?: boolean;
}

/**
 * Remove terminal escape sequences (colours, cursor moves, titles,
 * hyperlinks) from `text` and show any other control character as `\xHH`.
 * Tabs, emoji and all other Unicode are kept.
 *
 * @example
 * ```ts
 * printable("out \x1b[31mred\x1b[0m"); // "out red"
 * printable("\x1b]0;pwned\x07 title"); // " title"
 * printable("bell\x07 🎉"); // "bell\\x07 🎉"
 * printable("a\r\nb", { newlines: true }); // "a\nb"
 * ```
 */
export function printable(
  text: string,
  options: PrintableOptions = {},
): string {
  let out = text.replace(TERMINAL_SEQUENCE, "");
  if (options.newlines) out = out.replace(/\r\n/g, "\n");
  return out.replace(
    options.newlines ? CONTROL_BUT_NEWLINE : CONTROL,
    (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}
