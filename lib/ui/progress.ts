/**
 * A text progress bar.
 *
 * @module
 */

/**
 * `[██████░░░░] 4/10 (40%)`: the bar and percentage are rounded down, so
 * they read full and 100% only when everything is done. `done` is clamped
 * to `0..total`; with nothing to do (`total` 0) the bar is empty at 0%.
 *
 * @example
 * ```ts
 * progressBar(4, 10, 10); // "[████░░░░░░] 4/10 (40%)"
 * ```
 */
export function progressBar(done: number, total: number, width = 30): string {
  const t = Math.max(0, Math.floor(total));
  const d = Math.min(Math.max(0, Math.floor(done)), t);
  const w = Math.max(0, Math.floor(width));
  // Multiply before dividing: 29 / 100 * 100 is 28.999… in floating point.
  const part = (scale: number) => t === 0 ? 0 : Math.floor((d * scale) / t);
  const filled = part(w);
  const bar = "█".repeat(filled) + "░".repeat(w - filled);
  return `[${bar}] ${d}/${t} (${part(100)}%)`;
}
