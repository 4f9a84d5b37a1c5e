/**
 * Messages read from an orchestration's log: the last N for
 * `message list`, and what came after a cursor for `--follow`.
 *
 * @module
 */
import { LOG_START, scanLog } from "../../store/event_log.ts";
import { inspectLock } from "../../store/lock.ts";
import type { MaosPaths } from "../../store/paths.ts";
import type { MaosEvent } from "../../store/schema.ts";
import type { MessageView } from "./queries.ts";

/** A message event as `message list` shows it; other events give nothing. */
export function messageView(event: MaosEvent): MessageView[] {
  if (event.type !== "message") return [];
  return [{
    seq: event.seq,
    at: event.at,
    from: event.from,
    to: event.to,
    type: event.kind,
    content: event.content,
    ...(event.contentFile === undefined ? {} : {
      contentFile: event.contentFile,
      contentBytes: event.contentBytes,
    }),
  }];
}

/**
 * The last `limit` messages, from a scan of the whole log: unlike status,
 * this reads every line, so corruption anywhere is reported (exit 4).
 */
export function listMessages(
  paths: MaosPaths,
  id: string,
  limit: number,
): MessageView[] {
  return scanMessages(paths, id, limit).messages;
}

/** listMessages plus where the log ended, for `--follow` to continue from. */
export function scanMessages(
  paths: MaosPaths,
  id: string,
  limit: number,
): { messages: MessageView[]; end: { seq: number; offset: number } } {
  const kept: MessageView[] = [];
  const scan = scanLog(paths.events(id), LOG_START, (event) => {
    if (event.type !== "message" || limit <= 0) return;
    kept.push(...messageView(event));
    if (kept.length > limit * 2) kept.splice(0, kept.length - limit);
  });
  return {
    messages: limit <= 0 ? [] : kept.slice(-limit),
    end: scan.end,
  };
}

/** Where a reader has got to in events.jsonl. */
export interface LogCursor {
  seq: number;
  offset: number;
}

/**
 * Messages appended after `from` (for `message list --follow`), and whether
 * the orchestration has stopped: it ended or paused, or nobody holds its lock.
 */
export function messagesAfter(
  paths: MaosPaths,
  id: string,
  from: LogCursor,
): { messages: MessageView[]; end: LogCursor; stopped: boolean } {
  const messages: MessageView[] = [];
  let ended = false;
  // Look at the lock before reading, so an event appended just before the
  // holder exits is still read in this pass.
  const live = inspectLock(paths.lock(id)).state === "live";
  const scan = scanLog(paths.events(id), from, (event) => {
    messages.push(...messageView(event));
    if (
      event.type === "orchestration.completed" ||
      event.type === "orchestration.failed" ||
      event.type === "orchestration.paused"
    ) ended = true;
    if (event.type === "orchestration.resumed") ended = false;
  });
  return { messages, end: scan.end, stopped: ended || !live };
}
