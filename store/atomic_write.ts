import * as fs from "node:fs";
import * as path from "node:path";
import { diskError } from "./errors.ts";

/**
 * Write a whole file so that no reader, and no crash, ever sees half of it:
 * temp file → fsync → rename over the target → fsync the directory (so the
 * rename itself survives power loss).
 */
export function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
): void {
  const dir = path.dirname(target);
  const temp = path.join(
    dir,
    `.${path.basename(target)}.${process.pid}.${randomSuffix()}.tmp`,
  );
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, "wx", 0o644);
    writeAll(
      fd,
      typeof data === "string" ? new TextEncoder().encode(data) : data,
    );
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, target);
    fsyncDir(dir);
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    try {
      fs.unlinkSync(temp);
    } catch { /* never created or already renamed */ }
    throw diskError(err, target);
  }
}

/**
 * The same durable replace, with the two fsyncs (the slow part: a disk under
 * load takes milliseconds each) done off the main thread, so a running
 * orchestration goes on handling its agents' output meanwhile. The bytes are
 * written before the first await: a reused buffer may change after.
 */
export async function writeFileAtomicAsync(
  target: string,
  data: string | Uint8Array,
): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(
    dir,
    `.${path.basename(target)}.${process.pid}.${randomSuffix()}.tmp`,
  );
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, "wx", 0o644);
    writeAll(
      fd,
      typeof data === "string" ? new TextEncoder().encode(data) : data,
    );
    await fsyncAsync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, target);
    const dirFd = fs.openSync(dir, "r");
    try {
      await fsyncAsync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    try {
      fs.unlinkSync(temp);
    } catch { /* never created or already renamed */ }
    throw diskError(err, target);
  }
}

/** fsync in the thread pool. */
export function fsyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fs.fsync(fd, (err) => (err ? reject(err) : resolve()))
  );
}

/** fdatasync in the thread pool. */
export function fdatasyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fs.fdatasync(fd, (err) => (err ? reject(err) : resolve()))
  );
}

/** One write may be partial; loop until every byte is down. */
export function writeAll(
  fd: number,
  bytes: Uint8Array,
  position?: number,
): void {
  let done = 0;
  while (done < bytes.length) {
    done += fs.writeSync(
      fd,
      bytes,
      done,
      bytes.length - done,
      position === undefined ? null : position + done,
    );
  }
}

/** Make a directory entry change (create, rename) durable. */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** mkdir -p whose new entries are durable. */
export function ensureDir(dir: string): void {
  if (fs.existsSync(dir)) return;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fsyncDir(path.dirname(dir));
  } catch (err) {
    throw diskError(err, dir);
  }
}

function randomSuffix(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(4)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}
