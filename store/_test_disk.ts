/**
 * Disk trouble for the store tests: a directory nobody may write into, and
 * a tiny file system that fills up. Both are probed once, synchronously, so
 * a test that cannot run here is ignored with its reason printed.
 */
import * as fs from "node:fs";
import * as path from "node:path";

function run(cmd: string, args: string[]): boolean {
  try {
    return new Deno.Command(cmd, { args, stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

function canCreateIn(dir: string): boolean {
  const probe = path.join(dir, "probe");
  try {
    fs.writeFileSync(probe, "x");
    fs.rmSync(probe);
    return true;
  } catch {
    return false;
  }
}

export interface ReadOnlyDir {
  how: string;
  /** Make `dir` refuse new entries (and renames into it). */
  lock(dir: string): void;
  unlock(dir: string): void;
}

/**
 * chmod 0o555 stops everyone but root; root (as in many CI containers) is
 * stopped by the immutable attribute instead (`chattr +i`, needs
 * CAP_LINUX_IMMUTABLE and ext4/xfs/btrfs/tmpfs).
 */
function probeReadOnly(): ReadOnlyDir | string {
  const dir = Deno.makeTempDirSync({ prefix: "maos-ro-probe-" });
  const byChmod: ReadOnlyDir = {
    how: "chmod 0o555",
    lock: (d) => fs.chmodSync(d, 0o555),
    unlock: (d) => fs.chmodSync(d, 0o755),
  };
  const byChattr: ReadOnlyDir = {
    how: "chattr +i (running as root)",
    lock: (d) => {
      if (!run("chattr", ["+i", d])) throw new Error(`chattr +i ${d} failed`);
    },
    unlock: (d) => void run("chattr", ["-i", d]),
  };
  try {
    for (const way of [byChmod, byChattr]) {
      try {
        way.lock(dir);
      } catch {
        continue;
      }
      const stopped = !canCreateIn(dir);
      way.unlock(dir);
      if (stopped) return way;
    }
    return "neither chmod 0o555 nor chattr +i stops writes here (root without CAP_LINUX_IMMUTABLE?)";
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const readOnlyDir = probeReadOnly();

/** A 256 KB tmpfs mounted on a fresh temp dir (root only), unmounted after. */
export interface TinyDisk {
  dir: string;
  release(): void;
}

const TINY = "size=256k";

function probeTinyDisk(): true | string {
  const dir = Deno.makeTempDirSync({ prefix: "maos-tmpfs-probe-" });
  try {
    if (!run("mount", ["-t", "tmpfs", "-o", TINY, "tmpfs", dir])) {
      return "cannot mount a small tmpfs here (needs root and mount permission)";
    }
    run("umount", [dir]);
    return true;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const tinyDiskProbe = probeTinyDisk();

export function mountTinyDisk(): TinyDisk {
  const dir = Deno.makeTempDirSync({ prefix: "maos-tmpfs-" });
  if (!run("mount", ["-t", "tmpfs", "-o", TINY, "tmpfs", dir])) {
    throw new Error(`mount tmpfs on ${dir} failed`);
  }
  return {
    dir,
    release: () => {
      // A file still open keeps it busy: detach lazily then.
      if (!run("umount", [dir])) run("umount", ["-l", dir]);
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch { /* left for the OS to clean /tmp */ }
    },
  };
}

/** Fill a file system up to `leave` free bytes (roughly) with one file. */
export function fillDisk(dir: string, leave: number): string {
  const filler = path.join(dir, "filler");
  const free = fs.statfsSync(dir).bavail * fs.statfsSync(dir).bsize;
  fs.writeFileSync(filler, new Uint8Array(Math.max(0, free - leave)));
  return filler;
}

/** Print once why a test is ignored. */
export function ignoredBecause(reason: true | string | object): boolean {
  if (typeof reason === "string") {
    console.warn(`(ignored on this machine: ${reason})`);
    return true;
  }
  return false;
}
