/**
 * The crash watchdog (DESIGN.md §3 Crash): after `kill -9` of maos, the agent
 * processes it started must be gone within 5 s.
 *
 * A tiny `/bin/sh` script outlives maos: maos tells it on a pipe which process
 * groups are running (`add PGID` / `del PGID`). When the pipe reaches EOF —
 * maos exited or died, and the kernel closed its end — the script sends
 * SIGTERM to every group still registered, waits a second, then SIGKILL.
 * A clean `close()` unregisters everything first, so nothing is killed.
 */
import { spawn } from "node:child_process";
import type { Writable } from "node:stream";

/** The running watchdog of one orchestration run. */
export interface Watchdog {
  /** Register a process group to end if maos dies. */
  watch(pgid: number): void;
  /** The group ended normally: forget it. */
  unwatch(pgid: number): void;
  /** Clean end: unregister every group and let the watchdog exit. */
  close(): void;
}

// Ignores HUP/INT so a closing terminal or Ctrl-C (meant for maos) does not
// end it early; only EOF on stdin does. Arguments must be plain numbers > 1:
// `kill -TERM -0` or `-1` would hit far more than an agent.
const SCRIPT = `trap '' HUP INT
groups=" "
while read -r cmd pgid; do
  case $pgid in ''|*[!0-9]*|0|1) continue ;; esac
  case $cmd in
    add) groups="$groups$pgid " ;;
    del) kept=" "
         for g in $groups; do [ "$g" = "$pgid" ] || kept="$kept$g "; done
         groups=$kept ;;
  esac
done
set -- $groups
[ $# -eq 0 ] && exit 0
for g in $groups; do kill -TERM -"$g" 2>/dev/null; done
sleep 1
for g in $groups; do kill -KILL -"$g" 2>/dev/null; done
exit 0
`;

/**
 * Start the watchdog once per orchestration run. It never keeps maos alive:
 * the child and its pipe are unref'd.
 *
 * @example
 * const wd = startWatchdog();
 * const run = { ...taskRun, onProcess: (pid) => wd.watch(pid) };
 * await driver.run(run); // then wd.unwatch(pid) for each pid
 * wd.close();
 */
export function startWatchdog(): Watchdog {
  const child = spawn("/bin/sh", ["-c", SCRIPT], {
    detached: true,
    stdio: ["pipe", "ignore", "ignore"],
  });
  // A watchdog that cannot start must not crash maos; it only loses the
  // crash cleanup, which is then the engine's stale-process sweep's job.
  child.on("error", () => {});
  child.unref();
  const stdin = child.stdin as (Writable & { unref?(): void }) | null;
  stdin?.on("error", () => {});
  stdin?.unref?.();

  const watched = new Set<number>();
  let closed = false;
  const send = (line: string) => {
    if (!closed && stdin?.writable) stdin.write(line);
  };
  return {
    watch(pgid) {
      if (!Number.isInteger(pgid) || pgid <= 1 || watched.has(pgid)) return;
      watched.add(pgid);
      send(`add ${pgid}\n`);
    },
    unwatch(pgid) {
      if (!watched.delete(pgid)) return;
      send(`del ${pgid}\n`);
    },
    close() {
      if (closed) return;
      for (const pgid of watched) send(`del ${pgid}\n`);
      watched.clear();
      closed = true;
      stdin?.end();
    },
  };
}
