import * as fs from "node:fs";
import { writeAll } from "./atomic_write.ts";
import { diskError } from "./errors.ts";

const encoder = new TextEncoder();

/**
 * Appends JSON lines to a file kept open, one write per call (O_APPEND),
 */
export class JsonlAppender {
  private fd: number | undefined;

  constructor(readonly path: string) {}

  append(record: unknown): void {
    this.appendText(JSON.stringify(record) + "\n");
  }

  /** Whole lines of JSONL text (each ending in a newline), in one write. */
  appendText(text: string): void {
    const bytes = encoder.encode(text);
    try {
      this.fd ??= fs.openSync(this.path, "a", 0o644);
      writeAll(this.fd, bytes);
    } catch (err) {
      throw diskError(err, this.path);
    }
  }

  /** Flush to disk (called on pause and at the end). */
  sync(): void {
    if (this.fd !== undefined) fs.fdatasyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      this.sync();
    } finally {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }
}

/** Append one line with one write from a short-lived process (no fd kept). */
export function appendLineOnce(path: string, line: string): void {
  const bytes = new TextEncoder().encode(
    line.endsWith("\n") ? line : line + "\n",
  );
  let fd: number | undefined;
  try {
    fd = fs.openSync(path, "a", 0o644);
    // One write call: with O_APPEND, concurrent writers' lines never interleave.
    const written = fs.writeSync(fd, bytes);
    if (written !== bytes.length) throw new Error(`short write to ${path}`);
    fs.fdatasyncSync(fd);
  } catch (err) {
    throw diskError(err, path);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
