/**
 * Rendering helpers for the CLI: colour, icons, times, tables, progress and
 * step lines. They format; they never compute what they show.
 *
 * @module
 */

export * from "./color.ts";
export * from "./icons.ts";
export * from "./relative_time.ts";
export * from "./text_width.ts";
export * from "./table.ts";
export * from "./progress.ts";
export * from "./spinner.ts";
export * from "./sanitize.ts";
export * from "./plural.ts";
