/**
 * How refusals and approvals read, in the live view, `status` and
 * `maos approval list`: one line per request, what a task was refused.
 *
 * @module
 */
import type {
  ApprovalState,
  MaosEvent,
  OrchestrationState,
  TaskState,
} from "../../store/schema.ts";
import { describeCall } from "../approvals/rules.ts";
import type { ApprovalView } from "../approvals/list.ts";
import type { OrchestrationStatus, TaskView } from "../queries/queries.ts";
import { type Colors, plural, relativeTime, truncate } from "../ui/mod.ts";
import { shortId } from "./_util.ts";

/**
 * ` · 1 tool call refused: Bash node test.js` for a task whose agent's CLI
 * refused calls, else "" (a task with refusals never ends as a plain ✅).
 */
export function refusalNote(
  task: Pick<TaskState, "refused" | "refusals">,
): string {
  const n = task.refused ?? 0;
  if (n === 0) return "";
  const shown = (task.refusals ?? []).slice(0, 3)
    .map((r) => truncate(`${r.tool} ${r.input}`.trim(), 60));
  const more = n > shown.length ? `, +${n - shown.length} more` : "";
  return ` · ${plural(n, "tool call")} refused: ${shown.join(", ")}${more}`;
}

/** `✋ waiting for approval #1` when the task waits for an answer, else undefined. */
export function waitingNote(
  state: Pick<OrchestrationState, "approvals">,
  taskId: string,
): string | undefined {
  const waiting = (state.approvals ?? []).filter((a) =>
    a.task === taskId && a.status === "pending"
  );
  return waiting.length
    ? `✋ waiting for approval ${waiting.map((a) => `#${a.n}`).join(", ")}`
    : undefined;
}

/** The live view's line for an approval or refusal event, or null. */
export function approvalEventLine(
  event: MaosEvent,
  state: OrchestrationState,
  c: Colors,
): string | null {
  const id8 = shortId(state.id);
  const who = (agent: string) => c.bold(`[${agent}]`);
  const find = (n: number) => state.approvals?.find((a) => a.n === n);
  switch (event.type) {
    case "approval.requested":
      return `✋ ${who(event.agent)} asks to run ${
        describeCall(event)
      } — maos approval grant ${id8} ${event.n}`;
    case "approval.decided": {
      const a = find(event.n);
      const what = a ? ` ${who(a.agent)} ${describeCall(a)}` : "";
      const by = event.by ? ` by ${event.by}` : "";
      return event.decision === "granted"
        ? `👍 #${event.n} granted${by}${
          event.always ? " (always)" : ""
        }:${what}`
        : `🚫 #${event.n} denied${by}:${what}${
          event.reason ? ` — ${event.reason}` : ""
        }`;
    }
    case "approval.note": {
      const a = find(event.n);
      if (event.note !== "expired" || !a) return null;
      return c.dim(
        `✋ ${
          who(a.agent)
        } stopped waiting for #${event.n}; its turn ends, the others go on`,
      );
    }
    case "permission.denied":
      return `🚫 ${who(event.agent)} refused: ${describeCall(event, " ")}`;
    default:
      return null;
  }
}

/** `maos approval list` as text: one line per request, newest last. */
export function renderApprovals(
  rows: ApprovalView[],
  id: string,
  c: Colors,
  now = new Date(),
): string {
  const id8 = shortId(id);
  const icon = (s: ApprovalState["status"]) =>
    s === "pending" ? "✋" : s === "granted" ? "👍" : "🚫";
  return rows.map((r) => {
    const when = r.decidedAt ?? r.requestedAt;
    const tail = r.status === "pending"
      ? c.dim(
        ` — maos approval grant ${id8} ${r.n} | maos approval deny ${id8} ${r.n}`,
      )
      : c.dim(
        `${r.by ? ` by ${r.by}` : ""}${r.rule ? ` (always: ${r.rule})` : ""}${
          r.reason ? ` — ${r.reason}` : ""
        }`,
      );
    return `${icon(r.status)} #${r.n} ${r.status.padEnd(7)} [${r.agent}] ${
      describeCall(r)
    } ${c.dim(`(task ${r.task}, ${relativeTime(when, now)})`)}${tail}`;
  }).join("\n");
}

/** After a task's line in `status`: its refusals, or that it waits. */
export function taskApprovalNote(t: TaskView, c: Colors): string {
  const waiting = t.waitingFor?.length
    ? ` ✋ waiting for approval ${t.waitingFor.map((n) => `#${n}`).join(", ")}`
    : "";
  return c.yellow(`${refusalNote(t)}${waiting}`);
}

/** `status`'s Approvals section: every request, and how to answer the open ones. */
export function approvalSection(s: OrchestrationStatus, c: Colors): string[] {
  const rows = s.approvals ?? [];
  const refused = s.agents.filter((a) => a.refused);
  const out: string[] = [];
  if (rows.length) {
    out.push("", c.bold("Approvals"));
    out.push(
      ...renderApprovals(rows, s.id, c).split("\n").map((l) => `  ${l}`),
    );
  }
  if (refused.length) {
    out.push("", c.bold("Refused tool calls"));
    out.push(...refusedLines(refused).map((l) => `  ${l}`));
  }
  return out;
}

/** `tester-001: 1 tool call refused`, one line per agent that had any. */
export function refusedLines(
  agents: { id: string; refused?: number }[],
): string[] {
  return agents.filter((a) => a.refused).map((a) =>
    `${a.id}: ${plural(a.refused ?? 0, "tool call")} refused`
  );
}
