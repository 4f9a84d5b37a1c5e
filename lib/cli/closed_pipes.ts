/**
 * A closed stdout or stderr (`maos orchestrate … | head -1`, quitting
 * `less`) must never stop a run half-saved. maos's choice: the run goes on
 * without that output and ends as it would have (completed, failed, or
 * paused by Ctrl-C), with everything saved and the lock released. Writes to
 * a closed stream are dropped from then on, whether the runtime reports the
 * broken pipe as an `error` event (Node, Bun) or as a throw (Deno).
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
    if (isClosedPipe(err)) closed.add(stream);
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
      closed.add(stream);
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
