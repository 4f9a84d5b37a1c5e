/**
 * Box-drawn tables (on cli-table3) and cell truncation.
 *
 * @module
 */

import Table from "cli-table3";
import { createColors } from "./color.ts";
import { displayWidth, graphemes, graphemeWidth } from "./text_width.ts";

/** Options for `renderTable`. */
export interface TableOptions {
  /** Colour the header row; when false the output has no escape codes. */
  color: boolean;
  /**
   * Column widths in terminal columns, including one space of padding on
   * each side (cli-table3's meaning); longer cells are cut with "…".
   * `null` or a missing entry sizes that column to fit.
   */
  colWidths?: (number | null)[];
}

/**
 * Render a table with box borders, returned without a trailing newline.
 *
 * cli-table3 colours borders and headers through its own colour library,
 * which ignores our `--no-color`; so its style is always emptied and the
 * header is coloured here, with picocolors, only when `color` is true.
 *
 * @example
 * ```ts
 * renderTable(["ID", "Status"], [["a1b2c3d4", "✅ completed"]], { color: false });
 * ```
 */
export function renderTable(
  head: string[],
  rows: string[][],
  options: TableOptions,
): string {
  const c = createColors(options.color);
  const table = new Table({
    head: head.map((h) => c.bold(c.cyan(h))),
    // compact: no rule between body rows, so long lists stay readable.
    style: { head: [], border: [], compact: true },
    ...(options.colWidths ? { colWidths: options.colWidths } : {}),
  });
  table.push(...rows);
  return table.toString();
}

/**
 * Cut plain `text` to at most `width` terminal columns, ending in "…" when
 * anything was cut. Emoji and CJK count as two columns and are never split.
 * Truncate before colouring: escape codes are not preserved.
 *
 * @example
 * ```ts
 * truncate("Audit this repository", 10); // "Audit thi…"
 * truncate("short", 10); // "short"
 * ```
 */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return "";
  const room = width - 1; // one column for "…"
  let out = "";
  let used = 0;
  for (const g of graphemes(text)) {
    const w = graphemeWidth(g);
    if (used + w > room) break;
    out += g;
    used += w;
  }
  return out + "…";
}
