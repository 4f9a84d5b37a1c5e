/**
 * `maos approval list`: the requests of an orchestration as people read
 * them, the ones not yet ingested included (numbered as they will be).
 *
 * @module
 */
import type { MaosPaths } from "../../store/paths.ts";
import type { ApprovalState } from "../../store/schema.ts";
import { ApprovalReader } from "./reader.ts";
import { ruleForCall } from "./rules.ts";

/** One row of `maos approval list --json` (fields may be added, never renamed). */
export interface ApprovalView {
  n: number;
  agent: string;
  task: string;
  tool: string;
  input: Record<string, unknown>;
  status: ApprovalState["status"];
  requestedAt: string;
  decidedAt: string | null;
  reason?: string;
  by?: string;
  /** Granted with `--always`: the rule the agent now has. */
  rule?: string;
  /** The agent stopped waiting: its task waits (or was told the answer later). */
  expired?: boolean;
}

/** Every request, oldest first. */
export function listApprovals(paths: MaosPaths, id: string): ApprovalView[] {
  return new ApprovalReader(paths, id).read().map(approvalView);
}

export function approvalView(a: ApprovalState): ApprovalView {
  return {
    n: a.n,
    agent: a.agent,
    task: a.task,
    tool: a.tool,
    input: a.input,
    status: a.status,
    requestedAt: a.requestedAt,
    decidedAt: a.decidedAt,
    ...(a.reason ? { reason: a.reason } : {}),
    ...(a.by ? { by: a.by } : {}),
    ...(a.always ? { rule: ruleForCall(a) } : {}),
    ...(a.expired ? { expired: true } : {}),
  };
}
