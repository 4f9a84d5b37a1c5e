import * as fs from "node:fs";
import * as os from "node:os";
import * as nodePath from "node:path";
import { fsyncDir, writeFileAtomic } from "./atomic_write.ts";
import { diskError, errnoCode, ExitCode, MaosError } from "./errors.ts";
import { parseJsonFile, toJsonText } from "./json_file.ts";
import { FORMAT_VERSION, type LockFile, LockFileSchema } from "./schema.ts";

/** The holder refreshes its heartbeat this often (DESIGN: at least every 5 s). */
export const HEARTBEAT_MS = 4000;
/** A lock from another host is stale when its heartbeat is older than this. */
export const STALE_HEARTBEAT_MS = 30_000;

export type LockView =
  | { state: "free" }
  | { state: "live"; lock: LockFile }
  | { state: "stale"; lock: LockFile; reason: string };

/** Read a lock without taking it (what `status` and `list` do). */
export function inspectLock(path: string, now = Date.now()): LockView {
  // Most orchestrations have no lock: asking first is several times cheaper
  // than a failed read's exception (listing 10,000 of them, tests/bench/).
  if (!fs.existsSync(path)) return { state: "free" };
  let text: string;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return { state: "free" };
    throw err;
  }
  let lock: LockFile;
  try {
    lock = parseJsonFile(path, text, LockFileSchema);
  } catch {
    // A lock file cut short by a crash during creation holds no live owner
    // worth protecting once it is older than a heartbeat period.
    const age = now - safeMtime(path);
    if (age > STALE_HEARTBEAT_MS) {
      return {
        state: "stale",
        lock: unknownLock(),
        reason: "unreadable lock file",
      };
    }
    return { state: "live", lock: unknownLock() };
  }
  const reason = staleReason(lock, now);
  return reason ? { state: "stale", lock, reason } : { state: "live", lock };
}

function staleReason(lock: LockFile, now: number): string | null {
  if (lock.host === os.hostname()) {
    if (!processAlive(lock.pid)) return `process ${lock.pid} is gone`;
    const start = processStartTime(lock.pid);
    if (lock.processStart && start && start !== lock.processStart) {
      return `pid ${lock.pid} now belongs to another process`;
    }
    return null;
  }
  const age = now - Date.parse(lock.heartbeatAt);
  return age > STALE_HEARTBEAT_MS
    ? `no heartbeat from ${lock.host} for ${Math.round(age / 1000)} s`
    : null;
}

/** A held lock: keeps its heartbeat fresh until released. */
export class HeldLock {
  private timer: ReturnType<typeof setInterval>;
  private released = false;

  constructor(readonly path: string, private lock: LockFile) {
    this.timer = setInterval(() => this.beat(), HEARTBEAT_MS);
    // The heartbeat must not keep a finished process alive.
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Refresh the heartbeat: a whole-file atomic replace, so readers never see half. */
  beat(): void {
    if (this.released) return;
    // A lock taken over from us (our heartbeat looked stale to another host)
    // is no longer ours to refresh: rewriting it would steal it back.
    if (!this.stillOurs()) {
      clearInterval(this.timer);
      return;
    }
    this.lock = { ...this.lock, heartbeatAt: new Date().toISOString() };
    try {
      writeFileAtomic(this.path, toJsonText(this.lock));
    } catch { /* a missed beat is retried; the lock stays ours */ }
  }

  /** Is the file still the very lock we took (same pid, host and acquiredAt)? */
  stillOurs(): boolean {
    try {
      const current = inspectLock(this.path);
      return current.state !== "free" && current.lock.pid === this.lock.pid &&
        current.lock.host === this.lock.host &&
        current.lock.acquiredAt === this.lock.acquiredAt;
    } catch {
      return false;
    }
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    try {
      // Ours only if it is the very lock we took: another host may use the
      // same pid number, and a takeover may have replaced ours.
      if (this.stillOurs()) fs.unlinkSync(this.path);
    } catch { /* already gone */ }
  }
}

/**
 * Take the lock, exclusively. A stale lock is taken over safely: only the
 * process that wins the exclusive `run.lock.takeover` file may remove it,
 * so two processes can never both believe they took it.
 */
export function acquireLock(path: string, command: string): HeldLock {
  // A stale lock is normally taken over at the first try; only a takeover
  // cut short by a crash (its guard left behind) makes us wait, briefly.
  const deadline = Date.now() + TAKEOVER_WAIT_MS;
  while (true) {
    const lock = newLock(command);
    if (createExclusive(path, toJsonText(lock))) {
      return new HeldLock(path, lock);
    }
    const view = inspectLock(path);
    if (view.state === "live") throw busyError(view.lock, lockOwnerName(path));
    if (view.state === "stale") takeOverStale(path);
    if (Date.now() > deadline) {
      throw new MaosError(
        `could not take over the stale lock ${path}`,
        ExitCode.locked,
        "run: maos doctor --repair (removes stale locks), then try again",
      );
    }
    if (view.state === "stale") sleepSync(50);
  }
}

/** How long a crashed takeover's guard may delay taking a stale lock. */
const TAKEOVER_WAIT_MS = 5_000;
/** A takeover holds its guard for microseconds: one this old was abandoned. */
const GUARD_STALE_MS = 2_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function takeOverStale(path: string): void {
  const guard = `${path}.takeover`;
  if (!createExclusive(guard, String(process.pid))) {
    // A guard that vanished meanwhile (mtime 0) is not stale: never remove
    // what its next creator may have just made.
    const mtime = safeMtime(guard);
    if (mtime > 0 && Date.now() - mtime > GUARD_STALE_MS) {
      fs.rmSync(guard, { force: true });
    }
    return;
  }
  try {
    // Re-check under the guard: someone may have taken it over meanwhile.
    if (inspectLock(path).state === "stale") fs.rmSync(path, { force: true });
  } finally {
    fs.rmSync(guard, { force: true });
  }
}

/**
 * Create `path` with `text`, only if it does not exist — whole or not at
 * all: the content is written and synced in a temp file first, then
 * hard-linked into place (link fails if the name exists). A crash can never
 * leave an empty lock that looks held.
 */
function createExclusive(path: string, text: string): boolean {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.writeFileSync(temp, text, { mode: 0o644 });
    const fd = fs.openSync(temp, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.linkSync(temp, path);
    fsyncDir(nodePath.dirname(path));
    return true;
  } catch (err) {
    if (errnoCode(err) === "EEXIST") return false;
    throw diskError(err, path);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** `orchestration 1a2b3c4d` for …/orchestrations/<id>/run.lock. */
function lockOwnerName(lockPath: string): string {
  const id = nodePath.basename(nodePath.dirname(lockPath));
  return /^[0-9a-f]{12}$/.test(id)
    ? `orchestration ${id.slice(0, 8)}`
    : "orchestration";
}

export function busyError(lock: LockFile, what = "orchestration"): MaosError {
  if (lock.host === "unknown") {
    // The lock file exists but is still being written: its holder just started.
    return new MaosError(
      `${what} is being taken by another process right now`,
      ExitCode.locked,
      "try again in a moment",
    );
  }
  return new MaosError(
    `${what} is being run by another process (pid ${lock.pid} on ${lock.host}, ` +
      `since ${lock.acquiredAt}, command: ${lock.command})`,
    ExitCode.locked,
    lock.host === os.hostname()
      ? `wait for it to finish, or pause it with: kill -INT ${lock.pid} (it saves everything)`
      : `it runs on ${lock.host}: wait for it there (its lock goes stale 30 s after its last heartbeat)`,
  );
}

function newLock(command: string): LockFile {
  const now = new Date().toISOString();
  return {
    formatVersion: FORMAT_VERSION,
    pid: process.pid,
    host: os.hostname(),
    processStart: processStartTime(process.pid),
    acquiredAt: now,
    heartbeatAt: now,
    command,
  };
}

function unknownLock(): LockFile {
  const epoch = new Date(0).toISOString();
  return {
    formatVersion: FORMAT_VERSION,
    pid: 1,
    host: "unknown",
    processStart: null,
    acquiredAt: epoch,
    heartbeatAt: epoch,
    command: "unknown",
  };
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return errnoCode(err) === "EPERM";
  }
  // A killed process whose parent has not reaped it yet is a zombie: gone.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !==
      "Z";
  } catch {
    return true; // no /proc here: trust kill(0)
  }
}

/** Linux: field 22 of /proc/<pid>/stat (start time in clock ticks); null elsewhere. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function safeMtime(path: string): number {
  try {
    return fs.statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
