/**
 * Counted nouns: `1 message`, `3 messages`.
 *
 * @module
 */

/**
 * `n` followed by `word`, in the plural unless `n` is 1. `pluralWord` is for
 * nouns that do not just take an "s".
 *
 * @example
 * ```ts
 * plural(1, "agent"); // "1 agent"
 * plural(0, "task"); // "0 tasks"
 * plural(2, "entry", "entries"); // "2 entries"
 * ```
 */
export function plural(n: number, word: string, pluralWord?: string): string {
  return `${n} ${n === 1 ? word : pluralWord ?? `${word}s`}`;
}
