import * as os from "node:os";
import { ExitCode, MaosError } from "../../store/errors.ts";
import { inspectLock } from "../../store/lock.ts";
import type { MaosPaths } from "../../store/paths.ts";

/**
 * The exit-3 error of a command refused because another process drives
 * orchestration `id`: who holds it, in one level of detail, and a hint that
 * fits where it runs (Ctrl-C only helps on this machine).
 *
 * @example
 * throw runningElsewhereError(paths, id, "it cannot be rewound now", "restore a copy with --fork");
 */
export function runningElsewhereError(
  paths: MaosPaths,
  id: string,
  consequence: string,
  alternative: string,
): MaosError {
  const name = `orchestration ${id.slice(0, 8)}`;
  const view = inspectLock(paths.lock(id));
  if (view.state !== "live" || view.lock.host === "unknown") {
    // Its holder is starting (or just stopped): the lock has no owner to name yet.
    return new MaosError(
      `${name} is being taken by another process right now, so ${consequence}`,
      ExitCode.locked,
      `try again in a moment, or ${alternative}`,
    );
  }
  const { pid, host, command } = view.lock;
  const here = host === os.hostname();
  return new MaosError(
    `${name} is running in another process (pid ${pid} on ${host}, ` +
      `command: ${command}), so ${consequence}`,
    ExitCode.locked,
    here
      ? `pause it first (Ctrl-C where it runs, or: kill -INT ${pid}), ` +
        `or ${alternative}`
      : `it runs on ${host}: pause it there first, or ${alternative}`,
  );
}
