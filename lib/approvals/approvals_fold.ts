/**
 * What the `approval.*` events (and, for readers, the approval lines still
 * waiting in inbox.jsonl) mean for the list of requests. Used by the state
 * fold and by the readers that look past the log (list, the waiting tool).
 *
 * @module
 */
import type {
  ApprovalState,
  InboxApprovalLine,
  MaosEvent,
  NewEvent,
} from "../../store/schema.ts";

type ApprovalEvent = Extract<
  MaosEvent,
  { type: "approval.requested" | "approval.decided" | "approval.note" }
>;

/** An approval event before the log gives it `seq` and `at`. */
export type NewApprovalEvent = ApprovalEvent extends infer E
  ? E extends ApprovalEvent ? Omit<E, "seq" | "at"> : never
  : never;

/** The requests after one event (a new array; the old one is left alone). */
export function applyApprovalEvent(
  approvals: readonly ApprovalState[],
  event: ApprovalEvent,
): ApprovalState[] {
  switch (event.type) {
    case "approval.requested":
      // Once per number: a replay or a double ingest must not list it twice.
      if (approvals.some((a) => a.n === event.n)) return [...approvals];
      return [...approvals, {
        n: event.n,
        requestId: event.requestId,
        agent: event.agent,
        task: event.task,
        tool: event.tool,
        input: event.input,
        callKey: event.callKey,
        status: "pending",
        requestedAt: event.at,
        decidedAt: null,
      }];
    case "approval.decided":
      return approvals.map((a) =>
        a.n === event.n && a.status === "pending"
          ? {
            ...a,
            status: event.decision,
            decidedAt: event.decidedAt ?? event.at,
            ...(event.always ? { always: true } : {}),
            ...(event.reason ? { reason: event.reason } : {}),
            ...(event.by ? { by: event.by } : {}),
          }
          : a
      );
    case "approval.note":
      return approvals.map((a) =>
        a.n === event.n ? { ...a, [event.note]: true } : a
      );
  }
}

/**
 * The requests with the approval lines not yet ingested applied as the
 * orchestrator will apply them: each request gets the next number, in inbox
 * order, so the number shown while paused is the one it will keep.
 */
export function withPendingLines(
  approvals: readonly ApprovalState[],
  lines: readonly InboxApprovalLine[],
): ApprovalState[] {
  let out = [...approvals];
  for (const line of lines) {
    const event = eventOfLine(line, out);
    if (event) {
      out = applyApprovalEvent(
        out,
        { ...event, seq: 1, at: line.at } as ApprovalEvent,
      );
    }
  }
  return out;
}

/**
 * The event an inbox line becomes, given the requests so far; null for a
 * line that refers to no request (a decision on an unknown number).
 */
export function eventOfLine(
  line: InboxApprovalLine,
  approvals: readonly ApprovalState[],
): NewApprovalEvent | null {
  switch (line.kind) {
    case "approval.request": {
      const n = approvals.reduce((max, a) => Math.max(max, a.n), 0) + 1;
      return {
        type: "approval.requested",
        n,
        requestId: line.requestId,
        agent: line.from,
        task: line.task,
        tool: line.tool,
        input: line.input,
        callKey: line.callKey,
      };
    }
    case "approval.decision":
      // The first answer stands (two people may answer at once).
      if (!approvals.some((a) => a.n === line.n && a.status === "pending")) {
        return null;
      }
      return {
        type: "approval.decided",
        n: line.n,
        decision: line.decision,
        decidedAt: line.at,
        ...(line.always ? { always: true } : {}),
        ...(line.rule ? { rule: line.rule } : {}),
        ...(line.reason ? { reason: line.reason } : {}),
        ...(line.by ? { by: line.by } : {}),
      };
    case "approval.note":
      if (!approvals.some((a) => a.n === line.n)) return null;
      return { type: "approval.note", n: line.n, note: line.note };
  }
}

/** A task's requests that no one has answered yet: it waits for them. */
export function pendingFor(
  approvals: readonly ApprovalState[] | undefined,
  taskId: string,
): ApprovalState[] {
  return (approvals ?? []).filter((a) =>
    a.task === taskId && a.status === "pending"
  );
}

/**
 * A request denied after its agent stopped waiting was not in the CLI's
 * refusals as such (it was still open then): its denial is the refusal,
 * logged as `permission.denied` so the task never ends as a plain ✅.
 * `noLiveTurn` (resume's ingest: no turn can take the answer) counts any
 * open request so, also one cut by Ctrl-C or `kill -9` before it expired.
 */
export function refusalOfDecision(
  before: readonly ApprovalState[],
  event: MaosEvent,
  noLiveTurn = false,
): NewEvent[] {
  if (event.type !== "approval.decided" || event.decision !== "denied") {
    return [];
  }
  const request = before.find((a) => a.n === event.n);
  if (!request || request.status !== "pending") return [];
  if (!request.expired && !noLiveTurn) return [];
  return [{
    type: "permission.denied",
    agent: request.agent,
    task: request.task,
    tool: request.tool,
    input: request.input,
  }];
}
