/**
 * The requests of one orchestration as a reader without the lock sees them:
 * the `approval.*` events of the log, then the approval lines still waiting
 * in inbox.jsonl (a decision made while paused, or not yet ingested). Each
 * call reads only what was added since the last one.
 *
 * @module
 */
import { readInbox } from "../../store/inbox.ts";
import { readSnapshot } from "../../store/journal.ts";
import { LOG_START, type LogPosition, scanLog } from "../../store/log_read.ts";
import type { MaosPaths } from "../../store/paths.ts";
import {
  type ApprovalState,
  type InboxApprovalLine,
  isApprovalLine,
  type MaosEvent,
  type SnapshotFile,
} from "../../store/schema.ts";
import { applyApprovalEvent, withPendingLines } from "./approvals_fold.ts";

export class ApprovalReader {
  private cursor: LogPosition = LOG_START;
  private logged: ApprovalState[] = [];
  /** Inbox bytes the log says were ingested. */
  private ingested = 0;

  constructor(private readonly paths: MaosPaths, private readonly id: string) {
    // Start from state.json, so the first read costs the log's tail, not
    // its whole history. Replaying on top of it (a stale hint makes scanLog
    // read from the start) is harmless: each event applies once.
    let snapshot: SnapshotFile | null = null;
    try {
      snapshot = readSnapshot(paths, id);
    } catch { /* damaged: read the whole log */ }
    if (snapshot) {
      this.cursor = { seq: snapshot.state.lastSeq, offset: snapshot.logOffset };
      this.logged = [...(snapshot.state.approvals ?? [])];
      this.ingested = snapshot.state.inboxOffset;
    }
  }

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
    if (isApprovalLine(message)) lines.push(message);
  }
  return lines;
}
