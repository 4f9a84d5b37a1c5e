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
