/**
 * The read side of events.jsonl: scanning from a position (checked, torn
 * tails skipped, corruption refused) and reading the newest events backwards.
 */
import * as fs from "node:fs";
import { corruptError, errnoCode } from "./errors.ts";
import { EventSchema, type MaosEvent } from "./schema.ts";

/** A place in the log: the last event's seq and the byte offset just after its line. */
export interface LogPosition {
  seq: number;
  offset: number;
}

export const LOG_START: LogPosition = { seq: 0, offset: 0 };

export interface ScanResult {
  /** Position after the last whole, valid event. */
  end: LogPosition;
  /** Bytes after `end` that are a torn write (0 when the tail is clean). */
  tornBytes: number;
  /** False when the `from` hint did not point at a line end of event `from.seq`. */
  hintMatched: boolean;
}

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Does the log end exactly at `offset`, after a whole line? One small read
 * instead of a stat: a stat costs several times more under Deno's node:fs,
 * and listing asks this of every orchestration (tests/bench/).
 */
export function logEndsAt(path: string, offset: number): boolean {
  if (offset <= 0) return false;
  let fd: number;
  try {
    fd = fs.openSync(path, "r");
  } catch {
    return false; // no log: nothing ends anywhere
  }
  try {
    const bytes = new Uint8Array(2);
    const read = fs.readSync(fd, bytes, 0, 2, offset - 1);
    return read === 1 && bytes[0] === NEWLINE;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Read events after `from`, calling `onEvent` for each, in order.
 *
 * `from` is a hint (state.json's lastSeq/logOffset): it is checked against
 * the line that ends there, and when it does not match (the file was
 * rewritten, e.g. by git) the whole file is scanned instead. A last line that
 * is unterminated or does not parse is a torn write and is skipped; a bad line
 * anywhere else, or a gap in seq, is corruption (exit 4), naming file and line.
 */
export function scanLog(
  path: string,
  from: LogPosition,
  onEvent: (event: MaosEvent) => void,
): ScanResult {
  let fd: number;
  try {
    fd = fs.openSync(path, "r");
  } catch (err) {
    if (errnoCode(err) === "ENOENT" && from.seq === 0) {
      return { end: LOG_START, tornBytes: 0, hintMatched: true };
    }
    if (errnoCode(err) === "ENOENT") {
      throw corruptError(
        `${path} is missing but the snapshot expects ${from.seq} events`,
      );
    }
    throw err;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const hintMatched = from.seq === 0
      ? from.offset === 0
      : hintPointsAtSeq(fd, size, from);
    const start = hintMatched ? from : LOG_START;
    const result = scanFrom(fd, size, path, start, from.seq, onEvent);
    if (result.end.seq < from.seq) {
      throw corruptError(
        `${path} ends at event ${result.end.seq} but the snapshot says ${from.seq}`,
        "run: maos doctor --repair (rebuilds state.json from the log)",
      );
    }
    return { ...result, hintMatched };
  } finally {
    fs.closeSync(fd);
  }
}

function scanFrom(
  fd: number,
  size: number,
  path: string,
  start: LogPosition,
  skipThroughSeq: number,
  onEvent: (event: MaosEvent) => void,
): Omit<ScanResult, "hintMatched"> {
  const decoder = new TextDecoder();
  let end = start;
  let lineNo = start.seq; // one event per line: event n is on line n
  let pending: Uint8Array = new Uint8Array(0);
  let pendingStart = start.offset;
  let badLine: { line: number; offset: number; error: string } | null = null;
  const buffer = new Uint8Array(CHUNK);
  let position = start.offset;

  while (position < size) {
    const read = fs.readSync(
      fd,
      buffer,
      0,
      Math.min(CHUNK, size - position),
      position,
    );
    if (read <= 0) break;
    position += read;
    const chunk = concat(pending, buffer.subarray(0, read));
    let lineStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== NEWLINE) continue;
      lineNo++;
      const lineOffset = pendingStart + lineStart;
      const lineEnd = pendingStart + i + 1;
      if (badLine) {
        throw corruptError(
          `${path} line ${badLine.line} is corrupt: ${badLine.error}`,
        );
      }
      const text = decoder.decode(chunk.subarray(lineStart, i));
      lineStart = i + 1;
      const parsed = parseEventLine(text);
      if (typeof parsed === "string") {
        badLine = { line: lineNo, offset: lineOffset, error: parsed };
        continue;
      }
      if (parsed.seq !== end.seq + 1) {
        throw corruptError(
          `${path} line ${lineNo}: expected event seq ${
            end.seq + 1
          }, found ${parsed.seq}`,
        );
      }
      end = { seq: parsed.seq, offset: lineEnd };
      if (parsed.seq > skipThroughSeq) onEvent(parsed);
    }
    pending = chunk.slice(lineStart);
    pendingStart += lineStart;
  }
  // A bad last line, or an unterminated one, is a torn write: ignored here.
  const tornBytes = size - end.offset;
  if (badLine && pending.length > 0) {
    throw corruptError(
      `${path} line ${badLine.line} is corrupt: ${badLine.error}`,
    );
  }
  return { end, tornBytes };
}

function parseEventLine(text: string): MaosEvent | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return "not valid JSON";
  }
  const result = EventSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    return `${issue?.path.join(".") || "event"}: ${
      issue?.message ?? "invalid"
    }`;
  }
  return result.data;
}

/** Does the line that ends at `from.offset` hold event `from.seq`? */
function hintPointsAtSeq(fd: number, size: number, from: LogPosition): boolean {
  if (from.offset > size || from.offset < 2) return false;
  const length = Math.min(from.offset, 64 * 1024);
  const bytes = new Uint8Array(length);
  fs.readSync(fd, bytes, 0, length, from.offset - length);
  if (bytes[length - 1] !== NEWLINE) return false;
  const previous = bytes.lastIndexOf(NEWLINE, length - 2);
  if (previous < 0 && length < from.offset) return false; // longer than the window
  const parsed = parseEventLine(
    new TextDecoder().decode(bytes.subarray(previous + 1, length - 1)),
  );
  return typeof parsed !== "string" && parsed.seq === from.seq;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * The newest `limit` events that `keep` accepts, oldest first, read backwards
 * from the end so the cost does not grow with the history. A torn tail is skipped.
 */
export function readRecentEvents(
  path: string,
  limit: number,
  keep: (event: MaosEvent) => boolean,
): MaosEvent[] {
  let fd: number;
  try {
    fd = fs.openSync(path, "r");
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return [];
    throw err;
  }
  const found: MaosEvent[] = [];
  try {
    const decoder = new TextDecoder();
    let position = fs.fstatSync(fd).size;
    let carry: Uint8Array = new Uint8Array(0);
    let atTail = true;
    let lastLine = true;
    const window = 64 * 1024;
    while (position > 0 && found.length < limit) {
      const length = Math.min(window, position);
      position -= length;
      const chunk = new Uint8Array(length);
      fs.readSync(fd, chunk, 0, length, position);
      let data = concat(chunk, carry);
      if (atTail) {
        // Drop an unterminated last line: a write in progress or a torn one,
        // which may be longer than the window.
        const lastNewline = data.lastIndexOf(NEWLINE);
        if (lastNewline < 0) continue;
        data = data.subarray(0, lastNewline + 1);
        atTail = false;
      }
      let lineEnd = data.length - 1; // index of a newline
      while (lineEnd > 0 && found.length < limit) {
        const lineStart = data.lastIndexOf(NEWLINE, lineEnd - 1) + 1;
        if (lineStart === 0 && position > 0) break; // line continues in earlier bytes
        const parsed = parseEventLine(
          decoder.decode(data.subarray(lineStart, lineEnd)),
        );
        if (typeof parsed !== "string") {
          if (keep(parsed)) found.push(parsed);
        } else if (!lastLine) {
          throw corruptError(
            `${path} has a corrupt line near byte ${
              position + lineStart
            }: ${parsed}`,
          );
        } // else: a last line that does not parse is torn, as in scanLog
        lastLine = false;
        lineEnd = lineStart - 1;
      }
      carry = data.slice(0, Math.max(lineEnd + 1, 0));
    }
  } finally {
    fs.closeSync(fd);
  }
  return found.reverse();
}
