import type { MaosPaths } from "../../store/paths.ts";
import type { ApprovalState, OrchestrationState } from "../../store/schema.ts";
import { withPendingLines } from "../approvals/approvals_fold.ts";
import { approvalLinesAfter } from "../approvals/reader.ts";

/**
 * The state's approval requests with the approval lines not yet ingested
 * applied (a decision made while paused, from any terminal or clone). An
 * unreadable inbox leaves the state's view: a reader must not fail on it.
 */
export function approvalsNow(
  paths: MaosPaths,
  state: OrchestrationState,
): ApprovalState[] {
  const logged = state.approvals ?? [];
  try {
    const lines = approvalLinesAfter(paths, state.id, state.inboxOffset);
    return lines.length ? withPendingLines(logged, lines) : logged;
  } catch {
    return logged;
  }
}
