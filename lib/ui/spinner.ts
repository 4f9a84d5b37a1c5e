/**
 * Step lines for long work: `✓ Loading`, with a spinner on a terminal.
 *
 * @module
 */

import { createColors } from "./color.ts";

/** Where steps are written: `process.stdout`/`stderr`, or a test buffer. */
export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Options for `createSteps`. */
export interface StepsOptions {
  /** Animate a spinner and redraw lines; defaults to `sink.isTTY`. */
  tty?: boolean;
  /** Colour the marks; defaults to false. */
  color?: boolean;
  /** Spinner frame interval in milliseconds; defaults to 80. */
  intervalMs?: number;
}

/** A step printer made by `createSteps`. */
export interface Steps {
  /** Print `✓ label` for something already done. */
  step(label: string): void;
  /** Print `✗ label` for something that failed. */
  fail(label: string): void;
  /**
   * Show `label` while `work` runs (a spinner on a TTY), then `✓ label`,
   * or `✗ label` and rethrow. Run one at a time.
   */
  run<T>(label: string, work: Promise<T> | (() => Promise<T>)): Promise<T>;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
// Carriage return + erase line: redraw the spinner line in place.
const CLEAR_LINE = "\r\x1b[2K";

/**
 * Make a step printer writing to `sink`. Off a TTY it writes plain lines
 * only (no cursor movement, and no colour unless `color` is asked for).
 *
 * @example
 * ```ts
 * import process from "node:process";
 * const steps = createSteps(process.stderr, { color: false });
 * await steps.run("Loading state", async () => ({ runs: 2 }));
 * steps.step("Checkpoint saved");
 * ```
 */
export function createSteps(sink: TextSink, options: StepsOptions = {}): Steps {
  const tty = options.tty ?? sink.isTTY === true;
  const c = createColors(options.color ?? false);
  const intervalMs = options.intervalMs ?? 80;
  let active: string | null = null;
  let frame = 0;

  const spinnerLine = () => `${c.cyan(FRAMES[frame])} ${active}`;

  // A finished line; on a TTY it replaces the spinner, which is redrawn below.
  const line = (text: string) => {
    if (tty && active !== null) {
      sink.write(`${CLEAR_LINE}${text}\n${spinnerLine()}`);
    } else {
      sink.write(`${text}\n`);
    }
  };

  return {
    step: (label) => line(`${c.green("✓")} ${label}`),
    fail: (label) => line(`${c.red("✗")} ${label}`),
    async run(label, work) {
      let timer: ReturnType<typeof setInterval> | undefined;
      if (tty) {
        active = label;
        frame = 0;
        sink.write(spinnerLine());
        timer = setInterval(() => {
          frame = (frame + 1) % FRAMES.length;
          sink.write(CLEAR_LINE + spinnerLine());
        }, intervalMs);
      }
      const finish = (mark: string) => {
        if (timer !== undefined) clearInterval(timer);
        if (tty) sink.write(CLEAR_LINE);
        active = null;
        sink.write(`${mark} ${label}\n`);
      };
      try {
        const value = await (typeof work === "function" ? work() : work);
        finish(c.green("✓"));
        return value;
      } catch (error) {
        finish(c.red("✗"));
        throw error;
      }
    },
  };
}
