/**
 * The agent's side of an approval, run inside `maos mcp` when Claude Code
 * calls its permission-prompt tool: a grant that already covers this call is
 * used; otherwise the request goes to inbox.jsonl and the tool waits for a
 * person's answer (polling the log and the inbox), up to
 * `approvals.waitSeconds`. No answer by then: the agent is told to end its
 * turn, and maos resumes it in the same session once someone decides.
 *
 * @module
 */
import { appendInbox } from "../../store/inbox.ts";
import { newId } from "../../store/ids.ts";
import type { MaosPaths } from "../../store/paths.ts";
import type { ApprovalState } from "../../store/schema.ts";
import { ApprovalReader } from "./reader.ts";
import {
  callKey,
  describeCall,
  shortInput,
  type ToolCallView,
} from "./rules.ts";

/** How often a waiting call looks for the answer: well within the 2 s promised. */
export const DECISION_POLL_MS = 250;

/** Who asks (from the agent's MAOS_* env). */
export interface Asker {
  paths: MaosPaths;
  orchestrationId: string;
  agentId: string;
  taskId?: string;
  /** The turn's MAOS_AGENT_TOKEN: the orchestrator takes the agent's lines only with it. */
  token?: string;
}

/** What Claude Code's permission-prompt tool answers (CLAUDE-PROTOCOL.md). */
export type PromptAnswer =
  | { behavior: "allow"; updatedInput: Record<string, unknown> }
  | { behavior: "deny"; message: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Ask for one call and wait for the answer.
 *
 * @example
 * await askApproval(who, { tool: "Bash", input: { command: "node test.js" } }, 120_000);
 * // { behavior: "allow", updatedInput: { command: "node test.js" } }
 */
export async function askApproval(
  who: Asker,
  call: ToolCallView,
  waitMs: number,
  signal?: AbortSignal,
): Promise<PromptAnswer> {
  const reader = new ApprovalReader(who.paths, who.orchestrationId);
  const key = callKey(call);
  const mine = (a: ApprovalState) =>
    a.agent === who.agentId && a.callKey === key;
  const allow = (): PromptAnswer => ({
    behavior: "allow",
    updatedInput: call.input,
  });
  const known = reader.read().filter(mine);
  // A grant whose turn had ended applies once, to this same call.
  const late = known.find((a) => a.status === "granted" && !a.used);
  if (late) {
    note(who, late.n, "used");
    return allow();
  }
  if (known.some((a) => a.status === "granted" && a.always)) return allow();
  // Denied already in this task: the same answer, without asking again.
  const denied = known.find((a) =>
    a.status === "denied" && a.task === who.taskId
  );
  if (denied) return deniedAnswer(denied);
  // Asked before and still unanswered (the turn ended, or maos paused): wait on that request.
  let request = known.find((a) => a.status === "pending");
  let requestId = request?.requestId;
  if (!requestId) {
    requestId = newId();
    appendInbox(who.paths, who.orchestrationId, {
      at: new Date().toISOString(),
      kind: "approval.request",
      from: who.agentId,
      requestId,
      task: who.taskId ?? "",
      tool: call.tool,
      input: shortInput(call.input),
      callKey: key,
      ...(who.token ? { token: who.token } : {}),
    });
  }
  const deadline = Date.now() + waitMs;
  while (true) {
    request = reader.read().find((a) => a.requestId === requestId);
    if (request && request.status === "granted") {
      note(who, request.n, "used");
      return allow();
    }
    if (request && request.status === "denied") return deniedAnswer(request);
    if (signal?.aborted) {
      // The CLI went away (paused, stopped): the request stays open as it is.
      return { behavior: "deny", message: "maos stopped this turn" };
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(DECISION_POLL_MS, Math.max(1, deadline - Date.now())));
  }
  const n = request?.n;
  if (n !== undefined) note(who, n, "expired");
  const what = describeCall(call);
  return {
    behavior: "deny",
    message:
      `No answer yet to maos approval request${
        n === undefined ? "" : ` #${n}`
      } (${what}). Stop here and end your turn now: do not try another way. ` +
      "maos resumes you in this session once a person decides, and tells you the answer.",
  };
}

function deniedAnswer(request: ApprovalState): PromptAnswer {
  return {
    behavior: "deny",
    message: `A person denied this (maos approval #${request.n})${
      request.reason ? `: ${request.reason}` : ""
    }. Do not try it again; go on without it, or say why you need it.`,
  };
}

function note(who: Asker, n: number, kind: "used" | "expired"): void {
  appendInbox(who.paths, who.orchestrationId, {
    at: new Date().toISOString(),
    kind: "approval.note",
    from: who.agentId,
    n,
    note: kind,
    ...(who.token ? { token: who.token } : {}),
  });
}
