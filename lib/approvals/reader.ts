/**
 * The requests of one orchestration as a reader without the lock sees them:
 * the `approval.*` events of the log, then the approval lines still waiting
 * in inbox.jsonl (a decision made while paused, or not yet ingested). Each
 * call reads only what was added since the last one.
 *
 * @module
 */
import { readInbox } from "../../store/inbox.ts";
import { LOG_START, type LogPosition, scanLog } from "../../store/log_read.ts";
import type { MaosPaths } from "../../store/paths.ts";
import {
  type ApprovalState,
  type InboxApprovalLine,
  isMessageLine,
  type MaosEvent,
} from "../../store/schema.ts";
import { applyApprovalEvent, withPendingLines } from "./approvals_fold.ts";

export class ApprovalReader {
  private cursor: LogPosition = LOG_START;
  private logged: ApprovalState[] = [];
  /** Inbox bytes the log says were ingested. */
  private ingested = 0;

  constructor(private readonly paths: MaosPaths, private readonly id: string) {}

  /** Every request with its status now. */
  read(): ApprovalState[] {
    const scan = scanLog(
      this.paths.events(this.id),
      this.cursor,
      (e) => this.onEvent(e),
    );
    this.cursor = scan.end;
    const lines = approvalLinesAfter(this.paths, this.id, this.ingested);
    return withPendingLines(this.logged, lines);
  }

  private onEvent(e: MaosEvent): void {
    if ("inboxEnd" in e && typeof e.inboxEnd === "number") {
      this.ingested = Math.max(this.ingested, e.inboxEnd);
    }
    if (
      e.type === "approval.requested" || e.type === "approval.decided" ||
      e.type === "approval.note"
    ) {
      this.logged = applyApprovalEvent(this.logged, e);
    } else if (e.type === "checkpoint.restored") {
      this.logged = [...(e.state.approvals ?? [])];
      this.ingested = Math.max(this.ingested, e.state.inboxOffset);
    }
  }
}

/** The approval lines of inbox.jsonl after byte `from` (not yet ingested). */
export function approvalLinesAfter(
  paths: MaosPaths,
  id: string,
  from: number,
): InboxApprovalLine[] {
  const lines: InboxApprovalLine[] = [];
  for (const { message } of readInbox(paths, id, from).entries) {
    if (!isMessageLine(message) && message.kind !== "progress") {
      lines.push(message);
    }
  }
  return lines;
}
