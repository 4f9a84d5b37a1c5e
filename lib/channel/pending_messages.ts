/**
 * Messages still waiting in inbox.jsonl (sent while nothing ingests them:
 * the orchestration is paused, or between two polls), as `message list`
 * shows them, marked pending. Lines the orchestrator will refuse (no agent,
 * no token) are not shown as messages.
 *
 * @module
 */

import { readInbox } from "../../store/inbox.ts";
import { loadOrchestration } from "../../store/journal.ts";
import type { MaosPaths } from "../../store/paths.ts";
import { isMessageLine } from "../../store/schema.ts";
import type { MessageView } from "../queries/queries.ts";
import { foldEvent } from "../queries/state_fold.ts";
import { refusalOf } from "../engine/agent_token.ts";

/** A message of `message list` that is not in the log yet: no seq. */
export type PendingMessageView = Omit<MessageView, "seq"> & {
  seq: null;
  pending: true;
};

/** The inbox past what the log has ingested, oldest first. */
export function pendingMessages(
  paths: MaosPaths,
  id: string,
): PendingMessageView[] {
  const { state } = loadOrchestration(paths, id, foldEvent);
  const { entries } = readInbox(paths, id, state.inboxOffset);
  const out: PendingMessageView[] = [];
  for (const { message: m } of entries) {
    if (!isMessageLine(m) || refusalOf(m, state) !== null) continue;
    out.push({
      seq: null,
      at: m.at,
      from: m.from,
      to: m.to,
      type: m.kind,
      content: m.content,
      ...(m.contentFile === undefined
        ? {}
        : { contentFile: m.contentFile, contentBytes: m.contentBytes }),
      pending: true,
    });
  }
  return out;
}
