/**
 * How many terminal columns a string takes, emoji and CJK included.
 *
 * @module
 */

import { TERMINAL_SEQUENCE } from "./sanitize.ts";

const PICTOGRAPH = /\p{Extended_Pictographic}/u;
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}/u;
const REGIONAL_INDICATOR = /\p{Regional_Indicator}/u;
const ZERO_WIDTH = /^(?:\p{Cc}|\p{Cf}|\p{M})/u;
const VS16 = "\uFE0F";
const KEYCAP = "\u20E3";

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Remove ANSI colour, hyperlink and other terminal escapes. */
export function stripAnsi(text: string): string {
  return text.replace(TERMINAL_SEQUENCE, "");
}

// East Asian Wide/Fullwidth ranges, the same set cli-table3's string-width
// uses, so our truncation agrees with its column sizing.
function isFullwidth(cp: number): boolean {
  return cp >= 0x1100 && (
    cp <= 0x115f || cp === 0x2329 || cp === 0x232a ||
    (cp >= 0x2e80 && cp <= 0x3247 && cp !== 0x303f) ||
    (cp >= 0x3250 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0xa4c6) ||
    (cp >= 0xa960 && cp <= 0xa97c) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe10 && cp <= 0xfe19) ||
    (cp >= 0xfe30 && cp <= 0xfe6b) ||
    (cp >= 0xff01 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1b000 && cp <= 0x1b001) ||
    (cp >= 0x1f200 && cp <= 0x1f251) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Columns one grapheme cluster takes: 0, 1 or 2. */
export function graphemeWidth(g: string): number {
  if (ZERO_WIDTH.test(g)) return 0;
  if (REGIONAL_INDICATOR.test(g) || g.includes(KEYCAP)) return 2;
  // A pictograph is wide when it asks for emoji presentation, by default or
  // with VS16 ("⏸️"); bare text-style ones ("©") stay narrow.
  if (
    PICTOGRAPH.test(g) && (EMOJI_PRESENTATION.test(g) || g.includes(VS16))
  ) return 2;
  return isFullwidth(g.codePointAt(0) ?? 0) ? 2 : 1;
}

/** Split text into grapheme clusters (what a person sees as one character). */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * Terminal columns `text` takes, ignoring colour escapes.
 *
 * @example
 * ```ts
 * displayWidth("abc"); // 3
 * displayWidth("✅ ok"); // 5
 * ```
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const g of graphemes(stripAnsi(text))) width += graphemeWidth(g);
  return width;
}
