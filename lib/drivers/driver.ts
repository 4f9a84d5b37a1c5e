/**
 * The one interface every agent driver implements (DESIGN.md §4).
 *
 * The engine hands a driver one task for one agent; the driver runs it (a
 * process, or a simulation) and reports what happens through `emit` as it
 * happens, so the engine can persist each thing the moment it arrives.
 */

import type { MessageKind } from "../../store/schema.ts";

// One definition of the message kinds, in the store's schema.
export { MESSAGE_KINDS, type MessageKind } from "../../store/schema.ts";

/** A message already on the bus, shown to an agent at the start of its turn. */
export interface InboxMessage {
  seq: number;
  from: string;
  to: string | null;
  type: MessageKind;
  content: string;
}

/** What a driver reports while a task runs. */
export type DriverEvent =
  | { type: "output"; line: string }
  | { type: "message"; kind: MessageKind; to: string | null; content: string }
  | { type: "progress"; percent: number }
  | { type: "session"; sessionId: string }
  | DeniedEvent
  /**
   * A sign of life that is not output (a streamed chunk, a tool call), and
   * what the CLI now waits for when the driver knows: "the model to answer".
   */
  | {
    type: "activity";
    waitingFor?: string;
    /** True when a model answer starts streaming, false when it is complete. */
    answering?: boolean;
    /** The model's last answer of the turn has come: no more spending follows. */
    finishing?: boolean;
  }
  | UsageEvent;

/** A tool call the CLI refused (Claude's `permission_denials`). */
export interface DeniedEvent {
  type: "denied";
  tool: string;
  input: Record<string, unknown>;
  toolUseId?: string;
}

/**
 * What the agent may do without asking, as maos.json and the plan say
 * (lib/approvals/permissions.ts): each driver maps what its CLI honours.
 */
export interface AgentPermissions {
  /** Tool rules in Claude Code's syntax: `Bash(npm test:*)`, `Edit`. */
  allow: string[];
  deny: string[];
  /** A Claude Code permission mode. */
  mode?: string;
  /** A Codex sandbox (`codex exec -s`). */
  sandbox?: string;
}

/**
 * What one invocation of an agent CLI spent, reported once when it ends (or
 * is stopped): the engine adds it to the agent's totals. `inputTokens`
 * counts all input, cached included. `costUsd` is absent when the driver
 * does not know it in dollars.
 */
export interface UsageEvent {
  type: "usage";
  costUsd?: number;
  inputTokens: number;
  outputTokens: number;
  /**
   * For a CLI that reports its session's running counters (Codex) rather
   * than one run's: the counters now, kept with the agent and handed back as
   * `TaskRun.sessionTotals` so the next run can report only its own part.
   */
  sessionTotals?: SessionTotals;
  /** Priced by maos from streamed usage, before (or without) the CLI's own figure. */
  estimated?: true;
  /** The CLI's figure for the whole invocation: the estimates emitted before it, to take back. */
  replaces?: { costUsd: number; inputTokens: number; outputTokens: number };
}

/** A CLI's own running token counters for one session (thread). */
export type SessionTotals = {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
};

export interface AgentSpec {
  id: string;
  role: string;
  driver: string;
  instructions: string;
}

export interface TaskSpec {
  id: string;
  agent: string;
  title: string;
  description: string;
  dependsOn: string[];
  run?: string;
}

export interface TaskRun {
  agent: AgentSpec;
  task: TaskSpec;
  /** The orchestration's request, for context. */
  request: string;
  /** Messages addressed to this agent (or broadcast) since its last turn. */
  inbox: InboxMessage[];
  /**
   * Older messages of this turn that `inbox` leaves out (oldest first): the
   * whole inbox is these then `inbox`. The shell driver writes it to
   * MAOS_INBOX_FILE; a prompt says how many were left out.
   */
  inboxEarlier?: InboxMessage[];
  /** Directory the agent works in (the project root). */
  cwd: string;
  /**
   * Extra environment: MAOS_DIR, MAOS_ORCHESTRATION_ID, MAOS_AGENT_ID,
   * MAOS_TASK_ID, MAOS_AGENT_TOKEN (the turn's secret: pass it on to every
   * process of the agent, and to `maos mcp` through mcpServerEnv), and PATH
   * with this maos first (see maos_self.ts).
   */
  env: Record<string, string>;
  /** Driver session to continue (claude `--resume`), when one was recorded. */
  sessionId?: string;
  /** With `sessionId`: the session's counters as its last usage event left them. */
  sessionTotals?: SessionTotals;
  /** Set when this task was interrupted before: what it had produced so far. */
  resumeNote?: string;
  /** Extra instruction given with `maos orchestration resume --task`. */
  extraTask?: string;
  /** The agent's permissions (defaults, plan, `--always` grants). */
  permissions?: AgentPermissions;
  /** USD the orchestration may still spend (its budget minus what is spent); absent: no limit. */
  budgetLeftUsd?: number;
  /** Aborted once: ask the agent to stop (SIGINT/SIGTERM, 10 s grace). */
  stop: AbortSignal;
  /** Aborted: kill at once (second Ctrl-C). */
  kill: AbortSignal;
  /** Everything the task produces, in order. */
  emit(event: DriverEvent): void;
  /** Called with the pid (and process group) of each process the driver starts. */
  onProcess?(pid: number): void;
}

/** How the summary of a run whose model could not be reached starts (every driver says it so). */
export const MODEL_UNREACHABLE = "the model could not be reached";

export interface TaskResult {
  status: "completed" | "failed" | "stopped";
  summary: string;
  /** The driver's session no longer exists (Claude: "No conversation found"). */
  sessionLost?: boolean;
  /** The CLI stopped itself at the budget it was given (Claude: `error_max_budget_usd`). */
  budgetReached?: boolean;
}

export interface AgentDriver {
  readonly name: string;
  /** Simulated drivers are labelled as such in every output. */
  readonly simulated: boolean;
  run(task: TaskRun): Promise<TaskResult>;
}
