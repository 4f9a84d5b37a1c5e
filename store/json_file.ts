import * as fs from "node:fs";
import { Low } from "lowdb";
import type { Adapter } from "lowdb";
import type { z } from "zod";
import { writeFileAtomic, writeFileAtomicAsync } from "./atomic_write.ts";
import { corruptError, errnoCode, ExitCode, MaosError } from "./errors.ts";
import { describeZodError, FORMAT_VERSION } from "./schema.ts";

/**
 * A lowdb adapter whose `write` is the durable atomic write and whose `read`
 * validates with a zod schema, so a snapshot is either the old file or the
 * new one, and never trusted unchecked.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(
    readonly path: string,
    private readonly schema: z.ZodType<T>,
    /** How data becomes text; the same bytes whatever is chosen. */
    private readonly toText: (data: T) => string | Uint8Array = toJsonText,
  ) {}

  read(): Promise<T | null> {
    return Promise.resolve(this.readSync());
  }

  write(data: T): Promise<void> {
    this.writeSync(data);
    return Promise.resolve();
  }

  /**
   * Durable like write, with its fsyncs waited for off the main thread: for
   * saves in the background of a busy run, where a blocked main thread would
   * stall every agent's output. Each fsync then costs a thread-pool round
   * trip, which a save someone waits for does not want.
   */
  writeInBackground(data: T): Promise<void> {
    return writeFileAtomicAsync(this.path, this.toText(data));
  }

  /** Synchronous read for hot paths and for callers outside lowdb. */
  readSync(): T | null {
    let text: string;
    try {
      text = readTextFile(this.path);
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return null;
      throw new MaosError(
        `cannot read ${this.path}: ${errnoCode(err) ?? (err as Error).message}`,
        ExitCode.failed,
        "check that the .maos directory is readable and that this is a file",
      );
    }
    return parseJsonFile(this.path, text, this.schema);
  }

  writeSync(data: T): void {
    writeFileAtomic(this.path, this.toText(data));
  }
}

const decoder = new TextDecoder();
/** A buffer this size or smaller is kept for the next read; a rare big file's is not. */
const KEPT_BUFFER_BYTES = 1 << 20;
let scratch = new Uint8Array(64 * 1024);

/**
 * A whole (small) file as UTF-8 text: open, read into a buffer kept for the
 * next call, close. Under Deno's node:fs this is about a third cheaper than
 * readFileSync, and listing reads 10,000 state.json files (tests/bench/).
 */
export function readTextFile(path: string): string {
  const fd = fs.openSync(path, "r");
  try {
    let buffer = scratch;
    let size = 0;
    while (true) {
      if (size === buffer.length) {
        const bigger = new Uint8Array(buffer.length * 2);
        bigger.set(buffer);
        buffer = bigger;
      }
      const read = fs.readSync(fd, buffer, size, buffer.length - size, size);
      size += read;
      // A short read of a regular file is its end: no extra call to see 0.
      if (read === 0 || size < buffer.length) break;
    }
    if (buffer.length <= KEPT_BUFFER_BYTES) scratch = buffer;
    return decoder.decode(buffer.subarray(0, size));
  } finally {
    fs.closeSync(fd);
  }
}

/** Open a lowdb database on a durable, validated JSON file. */
export async function openJsonDb<T>(
  path: string,
  schema: z.ZodType<T>,
  defaultData: T,
): Promise<Low<T>> {
  const db = new Low<T>(new DurableJsonFile(path, schema), defaultData);
  await db.read();
  return db;
}

/** Git-friendly JSON: 2 spaces, LF, trailing newline; key order as built. */
export function toJsonText(data: unknown): string {
  return JSON.stringify(data, null, 2) + "\n";
}

/** Parse and validate; any failure is corruption naming the file (exit 4). */
export function parseJsonFile<T>(
  path: string,
  text: string,
  schema: z.ZodType<T>,
): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    // The runtime's message quotes the file's text (newlines and all): keep one line.
    const position = /position (\d+)/.exec((err as Error).message)?.[1];
    throw corruptError(
      `${path} is not valid JSON${
        position ? ` (at character ${position})` : ""
      }`,
    );
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === "number" && version > FORMAT_VERSION) {
    throw new MaosError(
      `${path} was written by a newer maos (format ${version}; this maos reads ${FORMAT_VERSION})`,
      ExitCode.corrupt,
      "upgrade maos to open it; nothing was changed",
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw corruptError(`${path} is invalid: ${describeZodError(parsed.error)}`);
  }
  return parsed.data;
}
