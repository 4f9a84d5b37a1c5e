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
  const temp = tempPathFor(target);
  let fd: number | undefined;
  try {
    fd = openAndWrite(temp, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, target);
    fsyncDir(path.dirname(target));
  } catch (err) {
    throw failedReplace(err, fd, temp, target);
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
  const temp = tempPathFor(target);
  let fd: number | undefined;
  try {
    fd = openAndWrite(temp, data);
    await fsyncAsync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, target);
    const dirFd = fs.openSync(path.dirname(target), "r");
    try {
      await fsyncAsync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  } catch (err) {
    throw failedReplace(err, fd, temp, target);
  }
}

/** A temp name beside `target`, unique to this process and call. */
function tempPathFor(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomSuffix()}.tmp`,
  );
}

/** Create the temp file exclusively and write all of `data` into it. */
function openAndWrite(temp: string, data: string | Uint8Array): number {
  const fd = fs.openSync(temp, "wx", 0o644);
  try {
    writeAll(
      fd,
      typeof data === "string" ? new TextEncoder().encode(data) : data,
    );
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
  return fd;
}

/** Clean up after a replace that failed part-way; the error names the target. */
function failedReplace(
  err: unknown,
  fd: number | undefined,
  temp: string,
  target: string,
): Error {
  if (fd !== undefined) fs.closeSync(fd);
  try {
    fs.unlinkSync(temp);
  } catch { /* never created or already renamed */ }
  return diskError(err, target);
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
