/**
 * A person's answer to a request (`maos approval grant|deny`): checked
 * against the requests as they stand, then appended to inbox.jsonl. The
 * running orchestrator ingests it within a quarter second and the waiting
 * agent goes on; with nothing running, it waits there (a committed file,
 * so a decision made in another clone travels with a pull) until `resume`.
 *
 * @module
 */
import * as os from "node:os";
import { usageError } from "../../store/errors.ts";
import { appendInbox } from "../../store/inbox.ts";
import type { MaosPaths } from "../../store/paths.ts";
import type { ApprovalState } from "../../store/schema.ts";
import { ApprovalReader } from "./reader.ts";
import { ruleForCall } from "./rules.ts";

export interface Decision {
  decision: "granted" | "denied";
  /** Grant: also add the call's rule to the agent's permissions from now on. */
  always?: boolean;
  reason?: string;
  /** Who decided; default the user and host of this process. */
  by?: string;
}

/** Who is deciding, for the log: `user@host`. */
export function decider(): string {
  let user = "someone";
  try {
    user = os.userInfo().username || user;
  } catch { /* no passwd entry (containers) */ }
  return `${user}@${os.hostname()}`;
}

/**
 * Record the answer to request `n`; returns the request as it now stands.
 * An unknown number, or one already answered, is a usage error (exit 2).
 *
 * @example
 * decideApproval(paths, id, 1, { decision: "granted", always: true });
 */
export function decideApproval(
  paths: MaosPaths,
  id: string,
  n: number,
  decision: Decision,
): ApprovalState {
  const approvals = new ApprovalReader(paths, id).read();
  const request = approvals.find((a) => a.n === n);
  if (!request) {
    throw usageError(
      `no approval request #${n} in orchestration ${id.slice(0, 8)}`,
      approvals.length
        ? `its requests: ${approvals.map((a) => `#${a.n}`).join(", ")}`
        : `it has none; see: maos approval list ${id.slice(0, 8)}`,
    );
  }
  if (request.status !== "pending") {
    throw usageError(
      `approval request #${n} was already ${request.status}${
        request.decidedAt ? ` at ${request.decidedAt}` : ""
      }`,
      `see: maos approval list ${id.slice(0, 8)}`,
    );
  }
  const at = new Date().toISOString();
  const rule = decision.decision === "granted" && decision.always
    ? ruleForCall(request)
    : undefined;
  const reason = decision.reason?.trim().slice(0, 500);
  const by = decision.by ?? decider();
  appendInbox(paths, id, {
    at,
    kind: "approval.decision",
    // Answers are a person's (inbox lines from people carry no agent token).
    from: "user",
    n,
    decision: decision.decision,
    ...(rule ? { always: true, rule } : {}),
    ...(reason ? { reason } : {}),
    by,
  });
  return {
    ...request,
    status: decision.decision,
    decidedAt: at,
    ...(rule ? { always: true } : {}),
    ...(reason ? { reason } : {}),
    by,
  };
}
