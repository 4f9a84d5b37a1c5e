/**
 * Events that other rooms add to the log (approvals and refusals, budgets),
 * read loosely by their type name for the report: marks on the agent's
 * lane, the approvals' answers, the newest budget figures. So the report
 * needs no change when their schemas change, and shows them when present.
 *
 * @module
 */
import type { MaosEvent } from "../../store/schema.ts";
import type { ApprovalView, Mark } from "./timeline.ts";

/**
 * Add what `event` means to `approvals` and `marks`; for a budget event,
 * its fields (to merge into the header's budget), else null.
 */
export function readForeignEvent(
  event: MaosEvent,
  at: number,
  approvals: Map<number, ApprovalView>,
  marks: Mark[],
): Record<string, unknown> | null {
  const loose = event as unknown as Record<string, unknown>;
  const type = String(loose.type);
  const n = Number(loose.n);
  if (type === "approval.requested") {
    const agent = String(loose.agent ?? "");
    const tool = String(loose.tool ?? "");
    approvals.set(n, { n, agent, tool, at, decision: null });
    marks.push({
      kind: "approval",
      at,
      agent,
      label: `approval #${n} asked: ${tool}`,
    });
  } else if (type === "approval.decided") {
    const asked = approvals.get(n);
    if (asked) asked.decision = String(loose.decision ?? "");
    marks.push({
      kind: "approval",
      at,
      agent: asked?.agent,
      label: `approval #${n} ${String(loose.decision ?? "decided")}`,
    });
  } else if (type === "approval.note") {
    marks.push({
      kind: "approval",
      at,
      agent: approvals.get(n)?.agent,
      label: `approval #${n} ${String(loose.note ?? "")}`,
    });
  } else if (type === "permission.denied") {
    marks.push({
      kind: "denied",
      at,
      agent: String(loose.agent ?? ""),
      label: `refused: ${String(loose.tool ?? "a tool call")}`,
    });
  } else if (type.startsWith("budget") || type === "orchestration.budget") {
    const { seq: _seq, at: _at, type: _type, ...fields } = loose;
    marks.push({ kind: "budget", at, label: type });
    return { ...fields, event: type };
  }
  return null;
}
