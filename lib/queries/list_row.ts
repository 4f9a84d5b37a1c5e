import type { SnapshotSummary } from "../../store/snapshot_summary.ts";
import type { ListedStatus, OrchestrationSummary } from "./queries.ts";

/** One row of `orchestration list` from what state.json's summary holds. */
export function listRow(
  state: SnapshotSummary["state"],
  status: ListedStatus,
): OrchestrationSummary {
  return {
    id: state.id,
    request: state.request,
    status,
    agents: state.agents.length,
    messages: state.messages,
    cost: state.cost,
    inputTokens: state.inputTokens,
    outputTokens: state.outputTokens,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
  };
}
