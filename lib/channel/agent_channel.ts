/**
 * What an agent process can do on its orchestration's bus without the lock
 * (`maos message send`, the `maos mcp` tools): send a message or a progress
 * report through inbox.jsonl, synced before it returns (the running
 * orchestrator ingests it into the log), and read the messages new to it.
 *
 * @module
 */

import { usageError } from "../../store/errors.ts";
import { appendInbox, readInbox } from "../../store/inbox.ts";
import { Buffer } from "node:buffer";
import { loadOrchestration, readSnapshot } from "../../store/journal.ts";
import {
  LOG_START,
  type LogPosition,
  readRecentEvents,
  scanLog,
} from "../../store/log_read.ts";
import { MaosPaths, requireMaosDir } from "../../store/paths.ts";
import {
  isMessageLine,
  type MaosEvent,
  MESSAGE_MAX_BYTES,
  type MessageKind,
  type OrchestrationState,
} from "../../store/schema.ts";
import { foldEvent } from "../queries/state_fold.ts";
import { tokenFromEnv } from "../engine/agent_token.ts";
import { withFileNote } from "../engine/message_bus.ts";
import { resolveOrchestrationId } from "../queries/choose.ts";
import type { StoreLocation } from "../engine/run_options.ts";

/** Which agent of which orchestration this process speaks for (from MAOS_* env). */
export interface AgentIdentity {
  paths: MaosPaths;
  orchestrationId: string;
  agentId: string;
  /** The task of the current turn, when known (MAOS_TASK_ID). */
  taskId?: string;
  /** The turn's secret (MAOS_AGENT_TOKEN), carried by every inbox line. */
  token?: string;
}

/**
 * The agent this process runs as, from MAOS_DIR, MAOS_ORCHESTRATION_ID and
 * MAOS_AGENT_ID (MAOS_TASK_ID optional; `--dir` wins over MAOS_DIR).
 * Missing ones are a usage error
 * saying so: the process was not started by maos for an agent.
 */
export function agentIdentity(location: StoreLocation): AgentIdentity {
  const { env } = location;
  const missing = ["MAOS_ORCHESTRATION_ID", "MAOS_AGENT_ID"].filter((k) =>
    !env[k]
  );
  if (missing.length > 0) {
    throw usageError(
      `not inside a maos agent: ${missing.join(" and ")} ${
        missing.length > 1 ? "are" : "is"
      } not set`,
      "maos sets MAOS_DIR, MAOS_ORCHESTRATION_ID, MAOS_AGENT_ID and MAOS_TASK_ID for the agents it starts",
    );
  }
  const paths = new MaosPaths(requireMaosDir(location));
  const token = tokenFromEnv(env);
  return {
    paths,
    orchestrationId: resolveOrchestrationId(
      paths,
      env.MAOS_ORCHESTRATION_ID!,
    ),
    agentId: env.MAOS_AGENT_ID!,
    ...(env.MAOS_TASK_ID ? { taskId: env.MAOS_TASK_ID } : {}),
    ...(token ? { token } : {}),
  };
}

/** The state now (snapshot plus the log's tail), or null when it cannot be read. */
function currentState(who: AgentIdentity): OrchestrationState | null {
  try {
    return loadOrchestration(who.paths, who.orchestrationId, foldEvent).state;
  } catch {
    // The orchestrator checks every line again when it ingests it.
    return null;
  }
}

/**
 * The agents come with the plan and never change: state.json has them, no
 * need to replay the log's tail on every message.
 */
function planState(
  who: AgentIdentity,
): Pick<OrchestrationState, "agents"> | null {
  try {
    return readSnapshot(who.paths, who.orchestrationId)?.state ??
      currentState(who);
  } catch {
    return currentState(who);
  }
}

/**
 * Only an agent of the orchestration speaks as one: a made-up or mistyped
 * MAOS_AGENT_ID is refused here, with the agents there are.
 */
export function requireAgentOf(
  who: AgentIdentity,
  state: Pick<OrchestrationState, "agents"> | null = planState(who),
): void {
  if (!state || state.agents.some((a) => a.id === who.agentId)) return;
  throw usageError(
    `no agent '${who.agentId}' in orchestration ${
      who.orchestrationId.slice(0, 8)
    }`,
    `agents: ${state.agents.map((a) => a.id).join(", ") || "none"}`,
  );
}

/** A body above `maxBytes` is refused, saying the cap and where to change it. */
export function requireWithinCap(content: string, maxBytes: number): void {
  const bytes = Buffer.byteLength(content);
  if (bytes <= maxBytes) return;
  throw usageError(
    `the message is ${bytes} bytes; the limit is ${maxBytes} bytes`,
    "write it to a file and send its path, or raise messages.maxBytes in .maos/maos.json",
  );
}

/**
 * The recipient as stored: null for everyone, else an agent id. A role with
 * one agent stands for it. Unknown names are refused when the state can be
 * read; otherwise (an agent must still be able to talk) passed through.
 */
export function resolveRecipient(
  paths: MaosPaths,
  id: string,
  to: string | undefined,
): string | null {
  if (to === undefined || to === "" || to === "all") return null;
  let agents: { id: string; role: string }[];
  try {
    agents = readSnapshot(paths, id)?.state.agents ?? [];
  } catch {
    return to;
  }
  if (agents.length === 0 || agents.some((a) => a.id === to)) return to;
  const byRole = agents.filter((a) => a.role === to);
  if (byRole.length === 1) return byRole[0].id;
  throw usageError(
    byRole.length > 1
      ? `role '${to}' has several agents: ${byRole.map((a) => a.id).join(", ")}`
      : `no agent '${to}' in orchestration ${id.slice(0, 8)}`,
    `agents: ${agents.map((a) => a.id).join(", ")}`,
  );
}

/** A message as sent. */
export interface SentMessage {
  at: string;
  from: string;
  to: string | null;
  kind: MessageKind;
  content: string;
}

/**
 * Send a message from this agent: appended to inbox.jsonl and synced
 * before it returns, so an acknowledged message is never lost.
 */
export function sendAgentMessage(
  who: AgentIdentity,
  message: { to?: string; kind: MessageKind; content: string },
  maxBytes = MESSAGE_MAX_BYTES,
): SentMessage {
  if (message.content.trim() === "") throw usageError("the message is empty");
  requireWithinCap(message.content, maxBytes);
  requireAgentOf(who);
  const sent: SentMessage = {
    at: new Date().toISOString(),
    from: who.agentId,
    to: resolveRecipient(who.paths, who.orchestrationId, message.to),
    kind: message.kind,
    content: message.content,
  };
  appendInbox(who.paths, who.orchestrationId, {
    ...sent,
    ...(who.token ? { token: who.token } : {}),
  });
  return sent;
}

/** Report the current task's progress (percent 0-100) through the inbox. */
export function reportAgentProgress(
  who: AgentIdentity,
  percent: number,
  note?: string,
): { task: string; percent: number } {
  if (!who.taskId) {
    throw usageError(
      "no task to report on: MAOS_TASK_ID is not set",
      "progress is reported by an agent for the task maos gave it",
    );
  }
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw usageError(`progress must be 0-100, not ${percent}`);
  }
  const state = currentState(who);
  requireAgentOf(who, state);
  const task = state?.tasks.find((t) => t.id === who.taskId);
  if (state && (!task || task.agent !== who.agentId)) {
    throw usageError(
      task
        ? `task '${who.taskId}' belongs to ${task.agent}, not ${who.agentId}`
        : `no task '${who.taskId}' in orchestration ${
          who.orchestrationId.slice(0, 8)
        }`,
      "progress is reported by an agent for the task maos gave it",
    );
  }
  if (task && task.status !== "running") {
    throw usageError(
      `task '${task.id}' is ${task.status}, not running`,
      "progress is reported while the task runs",
    );
  }
  const rounded = Math.round(percent);
  appendInbox(who.paths, who.orchestrationId, {
    at: new Date().toISOString(),
    from: who.agentId,
    kind: "progress",
    task: who.taskId,
    percent: rounded,
    ...(note?.trim() ? { note: note.trim() } : {}),
    ...(who.token ? { token: who.token } : {}),
  });
  return { task: who.taskId, percent: rounded };
}

/** A message for the agent; `seq` is null while it waits in the inbox. */
export interface ChannelMessage {
  seq: number | null;
  at: string;
  from: string;
  to: string | null;
  type: MessageKind;
  content: string;
}

/**
 * Reads the messages new to one agent: addressed to it or to all, from
 * others, logged since its turn began (the last `task.status running` of
 * its task; without one, since this reader was made), plus those still
 * waiting in inbox.jsonl. Each call returns only what the previous calls
 * did not. It never takes the lock: the log and the inbox are append-only.
 */
export class MessageReader {
  private cursor: LogPosition | undefined;
  private readonly fallbackSeq: number;
  /** Inbox bytes the log says were ingested. */
  private ingested = 0;
  /** Inbox bytes already looked at here (their messages returned or not for us). */
  private inboxSeen = 0;

  constructor(private readonly who: AgentIdentity) {
    this.fallbackSeq = lastSeq(who);
  }

  /** What is new since the turn began (first call) or since the last call. */
  readNew(): ChannelMessage[] {
    const { paths, orchestrationId: id } = this.who;
    const found: ChannelMessage[] = [];
    const first = this.cursor === undefined;
    let turnStart = first ? this.fallbackSeq : 0;
    const scan = scanLog(paths.events(id), this.cursor ?? LOG_START, (e) => {
      this.noteIngested(e);
      if (
        first && e.type === "task.status" && e.status === "running" &&
        e.task === this.who.taskId
      ) {
        // A later start of the task is a later turn: only what follows counts.
        turnStart = e.seq;
        found.length = 0;
        return;
      }
      if (e.type !== "message" || e.seq <= turnStart || !this.forMe(e)) return;
      // Already returned while it waited in the inbox.
      if (e.inboxEnd !== undefined && e.inboxEnd <= this.inboxSeen) return;
      found.push({
        seq: e.seq,
        at: e.at,
        from: e.from,
        to: e.to,
        type: e.kind,
        content: withFileNote(e, id),
      });
    });
    this.cursor = scan.end;
    const pending = readInbox(
      paths,
      id,
      Math.max(this.ingested, this.inboxSeen),
    );
    for (const { message: m, end } of pending.entries) {
      this.inboxSeen = Math.max(this.inboxSeen, end);
      if (!isMessageLine(m) || !this.forMe(m)) continue;
      found.push({
        seq: null,
        at: m.at,
        from: m.from,
        to: m.to,
        type: m.kind,
        content: withFileNote(m, id),
      });
    }
    return found;
  }

  private forMe(m: { from: string; to: string | null }): boolean {
    const me = this.who.agentId;
    return m.from !== me && (m.to === null || m.to === me);
  }

  private noteIngested(e: MaosEvent): void {
    if (
      (e.type === "message" || e.type === "task.progress") &&
      e.inboxEnd !== undefined
    ) {
      this.ingested = Math.max(this.ingested, e.inboxEnd);
    } else if (e.type === "checkpoint.restored") {
      this.ingested = Math.max(this.ingested, e.state.inboxOffset);
    }
  }
}

/** The log's last seq now (0 when it cannot be read: the first read will say why). */
function lastSeq(who: AgentIdentity): number {
  try {
    const path = who.paths.events(who.orchestrationId);
    return readRecentEvents(path, 1, () => true)[0]?.seq ?? 0;
  } catch {
    return 0;
  }
}
