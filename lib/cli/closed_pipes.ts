/**
 * A closed stdout or stderr (`maos orchestrate … | head -1`, quitting
 * `less`) must never stop a run half-saved. maos's choice: the run goes on
 * without that output and ends as it would have (completed, failed, or
 * paused by Ctrl-C), with everything saved and the lock released. Writes to
 * a closed stream are dropped from then on, whether the runtime reports the
 * broken pipe as an `error` event (Node, Bun) or as a throw (Deno).
 * Commands that only read (`message list --follow | head`, `status
 * --watch`) have nothing to finish: they end at once, as before.
 *
 * @module
 */

import process from "node:process";

type Writable = NodeJS.WriteStream;

/** Codes and names under which the runtimes report a reader that went away. */
function isClosedPipe(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown } | null;
  return e?.code === "EPIPE" || e?.code === "ERR_STREAM_DESTROYED" ||
    e?.name === "BrokenPipe";
}

const closed = new WeakSet<Writable>();

/** Set by a foreground run: a closed pipe must not end it (see above). */
let runGoesOn = false;

/** Called when a command starts a run (orchestrate, resume). */
export function keepRunningWhenPipesClose(): void {
  runGoesOn = true;
}

function markClosed(stream: Writable): void {
  closed.add(stream);
  // Nothing to save: end as `maos … | head` always did.
  if (!runGoesOn) process.exit(Number(process.exitCode ?? 0));
}

/** Whether maos has seen this stream's reader go away. */
export function pipeClosed(stream: Writable): boolean {
  return closed.has(stream);
}

/**
 * Make writes to `stream` harmless once its reader is gone: the first broken
 * pipe marks it closed, later writes return at once (their callbacks still
 * run, so nothing waits forever for a drain).
 */
export function dropWritesWhenClosed(stream: Writable): void {
  const marker = stream as Writable & { __maosClosedPipes?: true };
  if (marker.__maosClosedPipes) return;
  marker.__maosClosedPipes = true;
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.on?.("error", (err: unknown) => {
    // Any error on an output stream would otherwise be an uncaught 'error'
    // event that ends the process mid-run; only a closed pipe is expected.
    if (isClosedPipe(err)) markClosed(stream);
  });
  const patched = (...args: unknown[]): boolean => {
    const callback = args.find((a) => typeof a === "function") as
      | ((err?: Error | null) => void)
      | undefined;
    if (closed.has(stream)) {
      callback?.(null);
      return true;
    }
    try {
      return write(...args);
    } catch (err) {
      if (!isClosedPipe(err)) throw err;
      markClosed(stream);
      callback?.(null);
      return true;
    }
  };
  stream.write = patched as Writable["write"];
}

/** Both of maos's output streams. Called once, before any command runs. */
export function surviveClosedPipes(): void {
  dropWritesWhenClosed(process.stdout);
  dropWritesWhenClosed(process.stderr);
}
