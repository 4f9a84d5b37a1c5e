import type { Fold } from "../../store/journal.ts";
import { applyApprovalEvent } from "../approvals/approvals_fold.ts";
import { foldCost } from "./cost_fold.ts";
import { withAgent, withInbox, withTask } from "./fold_steps.ts";
import type {
  AgentState,
  MaosEvent,
  OrchestrationState,
  PlanTask,
  TaskState,
} from "../../store/schema.ts";

/**
 * The meaning of each event: state.json is a cache of folding the whole log
 * with this function, so deleting it and replaying gives the same state.
 */
export const foldEvent: Fold = (state, event) => {
  if (event.type === "orchestration.created") {
    return {
      id: event.id,
      request: event.request,
      status: "running",
      driver: event.driver,
      maxParallel: event.maxParallel,
      saveIntervalSeconds: null,
      createdAt: event.at,
      updatedAt: event.at,
      agents: event.plan.agents.map((agent): AgentState => ({
        id: agent.id,
        role: agent.role,
        driver: agent.driver ?? event.driver,
        instructions: agent.instructions,
        status: "pending",
        sessionId: null,
        messages: 0,
        cost: 0,
        inputTokens: 0,
        outputTokens: 0,
        ...(agent.permissions ? { permissions: agent.permissions } : {}),
      })),
      tasks: event.plan.tasks.map(newTask),
      messages: 0,
      cost: 0,
      inputTokens: 0,
      outputTokens: 0,
      inboxOffset: 0,
      lastSeq: event.seq,
      ...(event.isolation ? { isolation: event.isolation } : {}),
    };
  }
  if (!state) {
    throw new Error(
      `event ${event.seq} (${event.type}) comes before orchestration.created`,
    );
  }
  const next = applyEvent(state, event);
  next.lastSeq = event.seq;
  next.updatedAt = event.at;
  return next;
};

function newTask(task: PlanTask): TaskState {
  return {
    id: task.id,
    agent: task.agent,
    title: task.title,
    description: task.description,
    dependsOn: task.dependsOn,
    ...(task.run === undefined ? {} : { run: task.run }),
    status: "pending",
    progress: 0,
    summary: null,
    starts: 0,
    resumeNote: null,
  };
}

// Events change a few fields; copy only what changes so replaying a long log stays cheap.
function applyEvent(
  state: OrchestrationState,
  event: MaosEvent,
): OrchestrationState {
  switch (event.type) {
    case "orchestration.created":
      return state;
    case "orchestration.started":
    case "orchestration.resumed":
      return { ...state, status: "running" };
    case "orchestration.paused":
      return { ...state, status: "paused" };
    case "orchestration.completed":
      return { ...state, status: "completed" };
    case "orchestration.failed":
      return { ...state, status: "failed" };
    case "orchestration.settings":
      return { ...state, saveIntervalSeconds: event.saveIntervalSeconds };
    case "agent.status":
      return withAgent(
        state,
        event.agent,
        (a) => ({ ...a, status: event.status }),
      );
    case "agent.session":
      return withAgent(state, event.agent, (a) => {
        if (a.sessionId === event.sessionId) return a;
        // Another session: the old one's counters say nothing about it.
        const { sessionTotals: _, ...rest } = a;
        return { ...rest, sessionId: event.sessionId };
      });
    case "task.added":
      return { ...state, tasks: [...state.tasks, newTask(event.task)] };
    case "task.status": {
      const next = withTurnToken(told(state, event), event);
      return withTask(next, event.task, (t) => ({
        ...t,
        status: event.status,
        progress: event.status === "completed" ? 100 : t.progress,
        summary: event.summary ?? t.summary,
        starts: event.status === "running" ? t.starts + 1 : t.starts,
        resumeNote: event.resumeNote ??
          (event.status === "completed" ? null : t.resumeNote),
      }));
    }
    case "task.progress": {
      const next = event.inboxEnd === undefined ? state : {
        ...state,
        inboxOffset: Math.max(state.inboxOffset, event.inboxEnd),
      };
      // A report from the inbox may arrive after its task ended: it is
      // logged (it moves the offset) but changes only a running task.
      return withTask(
        next,
        event.task,
        (t) =>
          event.inboxEnd === undefined || t.status === "running"
            ? { ...t, progress: event.progress }
            : t,
      );
    }
    case "message": {
      const next = { ...state, messages: state.messages + 1 };
      if (event.inboxEnd !== undefined) {
        next.inboxOffset = Math.max(state.inboxOffset, event.inboxEnd);
      }
      return state.agents.some((a) => a.id === event.from)
        ? withAgent(
          next,
          event.from,
          (a) => ({ ...a, messages: a.messages + 1 }),
        )
        : next;
    }
    case "inbox.refused":
      // Not a message: only the ingest offset moves past its line.
      return {
        ...state,
        inboxOffset: Math.max(state.inboxOffset, event.inboxEnd),
      };
    case "cost":
      return foldCost(state, event);
    case "orchestration.budget":
      return {
        ...state,
        budget: { usd: event.usd, tokens: event.tokens },
      };
    // Written by development builds only: isolation now comes with `created`.
    case "orchestration.isolation":
      return { ...state, isolation: { mode: event.mode, base: event.base } };
    case "agent.files":
      return withAgent(state, event.agent, (a) => ({
        ...a,
        files: { commit: event.commit, head: event.head },
      }));
    case "checkpoint.created":
      return withInbox(state, event.inboxEnd);
    case "permission.denied":
      return withAgent(
        withTask(state, event.task, (t) => ({
          ...t,
          refused: (t.refused ?? 0) + 1,
          // The first few are kept to show; the count says how many in all.
          refusals: [...(t.refusals ?? []), {
            tool: event.tool,
            input: describeInput(event.input),
          }].slice(0, 10),
        })),
        event.agent,
        (a) => ({ ...a, refused: (a.refused ?? 0) + 1 }),
      );
    case "approval.requested":
    case "approval.note":
      return withInbox(
        {
          ...state,
          approvals: applyApprovalEvent(state.approvals ?? [], event),
        },
        event.inboxEnd,
      );
    case "approval.decided": {
      const approvals = applyApprovalEvent(state.approvals ?? [], event);
      const decided = approvals.find((a) => a.n === event.n);
      let next = withInbox({ ...state, approvals }, event.inboxEnd);
      const rule = event.rule;
      if (decided && event.decision === "granted" && event.always && rule) {
        // `--always`: the agent's rule for the rest of the orchestration.
        next = withAgent(next, decided.agent, (a) => ({
          ...a,
          alwaysAllow: [...new Set([...(a.alwaysAllow ?? []), rule])],
        }));
      }
      return next;
    }
    case "checkpoint.restored":
      // Rewind to the checkpoint's state, but the log (and seq) keeps going.
      return {
        ...event.state,
        inboxOffset: Math.max(state.inboxOffset, event.state.inboxOffset),
      };
  }
}

/**
 * A task that starts again is told the decisions on its requests (see
 * lib/approvals/told.ts): from then on they are marked told.
 */
function told(
  state: OrchestrationState,
  event: Extract<MaosEvent, { type: "task.status" }>,
): OrchestrationState {
  if (event.status !== "running" || !state.approvals) return state;
  if (
    !state.approvals.some((a) =>
      a.task === event.task && a.status !== "pending" && !a.told
    )
  ) return state;
  return {
    ...state,
    approvals: state.approvals.map((a) =>
      a.task === event.task && a.status !== "pending" && !a.told
        ? { ...a, told: true }
        : a
    ),
  };
}

/** A refused call's input on one line (its command, path or JSON). */
function describeInput(input: Record<string, unknown>): string {
  const main = ["command", "file_path", "url", "cmd"].map((k) => input[k])
    .find((v) => typeof v === "string");
  const text = (typeof main === "string" ? main : JSON.stringify(input))
    .replace(/\s+/g, " ").trim();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** How many recent turns' tokens an agent keeps (late inbox lines of older turns are refused). */
const TURN_TOKENS_KEPT = 8;

/** A turn that starts with a token: its agent keeps the hash (agent_token.ts). */
function withTurnToken(
  state: OrchestrationState,
  event: Extract<MaosEvent, { type: "task.status" }>,
): OrchestrationState {
  if (!event.tokenHash) return state;
  const agent = state.tasks.find((t) => t.id === event.task)?.agent;
  if (!agent) return state;
  const turn = { hash: event.tokenHash, task: event.task };
  return withAgent(state, agent, (a) => ({
    ...a,
    turnTokens: [...(a.turnTokens ?? []).slice(1 - TURN_TOKENS_KEPT), turn],
  }));
}
