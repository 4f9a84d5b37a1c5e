import * as fs from "node:fs";
import * as path from "node:path";
import { ensureDir, writeFileAtomic } from "./atomic_write.ts";
import { errnoCode } from "./errors.ts";
import { newId } from "./ids.ts";
import { appendLineOnce } from "./jsonl_appender.ts";
import type { MaosPaths } from "./paths.ts";
import { Buffer } from "node:buffer";
import {
  type InboxLine,
  InboxLineSchema,
  MESSAGE_MAX_INLINE_BYTES,
} from "./schema.ts";

/** Lines stay under 4 KB so one O_APPEND write is atomic for every writer. */
export const INBOX_LINE_LIMIT = 4000;

/** How much of a body kept in a file its line (and its event) shows. */
export const PREVIEW_CHARS = 200;

/**
 * Append a message (or a progress report) to an orchestration's inbox.jsonl,
 * from any process, synced before it returns. A message body too long for
 * one atomic line goes to a file that the line names.
 */
export function appendInbox(
  paths: MaosPaths,
  orchestrationId: string,
  message: InboxLine,
): void {
  let line = JSON.stringify(message);
  if (
    message.kind !== "checkpoint" && // its name is short: never too long
    Buffer.byteLength(line) > INBOX_LINE_LIMIT
  ) {
    if (message.kind === "progress") {
      // Only a long note makes a progress line long: keep its start.
      line = JSON.stringify({ ...message, note: message.note?.slice(0, 500) });
      appendLineOnce(paths.inbox(orchestrationId), "\n" + line);
      return;
    }
    line = JSON.stringify({
      ...message,
      ...writeAttachment(paths, orchestrationId, message.content),
    });
  }
  // The leading newline isolates a line that a failed write (disk full) left
  // half-written: it stays one unreadable line instead of swallowing ours.
  appendLineOnce(paths.inbox(orchestrationId), "\n" + line);
}

/**
 * Keep a message body in a file under the orchestration (written whole,
 * synced): what its line or event carries instead, a preview and the name.
 */
export function writeAttachment(
  paths: MaosPaths,
  orchestrationId: string,
  content: string,
): { content: string; contentFile: string; contentBytes: number } {
  const dir = paths.attachments(orchestrationId);
  ensureDir(dir);
  const file = `${newId()}.txt`;
  writeFileAtomic(path.join(dir, file), content);
  return {
    content: content.slice(0, PREVIEW_CHARS) + "…",
    contentFile: `attachments/${file}`,
    contentBytes: Buffer.byteLength(content),
  };
}

export interface InboxEntry {
  message: InboxLine;
  /** Inbox byte offset just after this line: what the orchestrator records. */
  end: number;
}

/**
 * Whole lines of inbox.jsonl after `from`. A line still being written (no
 * newline yet) is left for next time; a line that does not parse is skipped.
 */
export function readInbox(
  paths: MaosPaths,
  orchestrationId: string,
  from: number,
  /** Bodies in a file up to this size are read back in; larger ones stay a file. */
  maxInlineBytes = MESSAGE_MAX_INLINE_BYTES,
): { entries: InboxEntry[]; skipped: number } {
  let data: Uint8Array;
  try {
    const fd = fs.openSync(paths.inbox(orchestrationId), "r");
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= from) return { entries: [], skipped: 0 };
      data = new Uint8Array(size - from);
      fs.readSync(fd, data, 0, data.length, from);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return { entries: [], skipped: 0 };
    throw err;
  }
  const decoder = new TextDecoder();
  const entries: InboxEntry[] = [];
  let skipped = 0;
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== 0x0a) continue;
    const text = decoder.decode(data.subarray(start, i));
    start = i + 1;
    if (text.trim() === "") continue;
    const parsed = safeParse(text);
    if (!parsed) {
      skipped++;
      continue;
    }
    entries.push({
      message: resolveAttachment(
        paths,
        orchestrationId,
        parsed,
        maxInlineBytes,
      ),
      end: from + i + 1,
    });
  }
  return { entries, skipped };
}

function safeParse(text: string): InboxLine | null {
  try {
    const result = InboxLineSchema.safeParse(JSON.parse(text));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

/** A body in a file comes back whole when it is small enough to be inline. */
function resolveAttachment(
  paths: MaosPaths,
  id: string,
  message: InboxLine,
  maxInlineBytes: number,
): InboxLine {
  if (
    message.kind === "progress" || message.kind === "checkpoint" ||
    !message.contentFile ||
    !ATTACHMENT_PATH.test(message.contentFile)
  ) {
    return message;
  }
  try {
    const file = path.join(paths.orchestration(id), message.contentFile);
    const bytes = fs.statSync(file).size;
    if (bytes > maxInlineBytes) return { ...message, contentBytes: bytes };
    const { contentFile: _, contentBytes: __, ...rest } = message;
    return { ...rest, content: fs.readFileSync(file, "utf8") };
  } catch {
    return message;
  }
}

/** How inbox lines and message events name a body's file. */
export const ATTACHMENT_PATH = /^attachments\/[0-9a-f]{12}\.txt$/;

/** How many lines of the whole inbox do not parse (for `maos doctor`). */
export function readInboxSkipped(
  paths: MaosPaths,
  orchestrationId: string,
): number {
  return readInbox(paths, orchestrationId, 0).skipped;
}
