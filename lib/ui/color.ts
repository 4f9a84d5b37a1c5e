/**
 * Whether to colour output, and the colour functions that follow from it.
 *
 * The decision is made once, in `main.ts`, from the stream, the environment
 * and `--no-color`; everything else asks `colors()`.
 *
 * @module
 */

import picocolors from "picocolors";

/** Colour functions; each returns its input unchanged when colour is off. */
export interface Colors {
  /** Whether these functions add escape codes at all. */
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  gray(text: string): string;
}

/** What `colorEnabled` looks at. */
export interface ColorInputs {
  /** `isTTY` of the stream being written (usually stdout). */
  isTTY?: boolean;
  /** The environment, e.g. `process.env`. */
  env?: Record<string, string | undefined>;
  /** True when `--no-color` was given. */
  noColorFlag?: boolean;
}

/**
 * Decide whether colour is on.
 *
 * Off with `--no-color` or when `NO_COLOR` is set to anything (even empty);
 * otherwise on when `FORCE_COLOR` is set (unless it is `0` or `false`);
 * otherwise on only for a TTY whose `TERM` is not `dumb`.
 *
 * @example
 * ```ts
 * colorEnabled({ isTTY: true, env: {} }); // true
 * colorEnabled({ isTTY: true, env: { NO_COLOR: "" } }); // false
 * colorEnabled({ isTTY: false, env: { FORCE_COLOR: "1" } }); // true
 * ```
 */
export function colorEnabled(inputs: ColorInputs): boolean {
  const env = inputs.env ?? {};
  if (inputs.noColorFlag) return false;
  if (env.NO_COLOR !== undefined) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  return inputs.isTTY === true && env.TERM !== "dumb";
}

/**
 * Build a `Colors` that always (or never) colours, regardless of the
 * environment picocolors itself would sniff.
 *
 * @example
 * ```ts
 * createColors(false).red("x"); // "x"
 * ```
 */
export function createColors(enabled: boolean): Colors {
  const pc = picocolors.createColors(enabled);
  return {
    enabled,
    bold: (s) => pc.bold(s),
    dim: (s) => pc.dim(s),
    red: (s) => pc.red(s),
    green: (s) => pc.green(s),
    yellow: (s) => pc.yellow(s),
    cyan: (s) => pc.cyan(s),
    gray: (s) => pc.gray(s),
  };
}

// Off until main.ts decides: a library import must never colour a pipe.
let current: Colors = createColors(false);

/** Switch the process-wide colours returned by `colors()`. */
export function setColorEnabled(enabled: boolean): void {
  current = createColors(enabled);
}

/** The process-wide colours (off until `setColorEnabled(true)`). */
export function colors(): Colors {
  return current;
}
