/**
 * The shapes the read side answers with: what `list`, `status` and
 * `agent list` show, and what `--json` prints (fields may be added, never
 * renamed: DESIGN.md §5).
 *
 * @module
 */
import type { BudgetView } from "./budget.ts";
import type { ApprovalView } from "../approvals/list.ts";
import type { Isolation, WorkStatus } from "../../store/schema.ts";

/** What a person sees: the stored status, with `interrupted` derived from the lock. */
export type DerivedStatus =
  | "running"
  | "paused"
  | "interrupted"
  | "completed"
  | "failed";

export const DERIVED_STATUSES: readonly DerivedStatus[] = [
  "running",
  "paused",
  "interrupted",
  "completed",
  "failed",
];

/** A listed orchestration's status: also `damaged` when its files cannot be read (damaged.ts). */
export type ListedStatus = DerivedStatus | "damaged";
export const LISTED_STATUSES: readonly ListedStatus[] = [
  ...DERIVED_STATUSES,
  "damaged",
];

/** One row of `maos orchestration list --json` (DESIGN.md §5). */
export interface OrchestrationSummary {
  id: string;
  request: string;
  status: ListedStatus;
  /** With status `damaged`: what is wrong (file and line), and what to run. */
  damage?: string;
  hint?: string;
  agents: number;
  messages: number;
  cost: number;
  inputTokens: number;
  outputTokens: number;
  createdAt: string;
  updatedAt: string;
}

/** One message of `message list --json` and of status' `recentMessages`. */
export interface MessageView {
  seq: number;
  at: string;
  from: string;
  to: string | null;
  type: string;
  content: string;
  /** A body above messages.maxInlineBytes: `content` is its start, the whole is in this file (under the orchestration). */
  contentFile?: string;
  contentBytes?: number;
  /** Still in inbox.jsonl, not ingested yet (`message list` while paused). */
  pending?: boolean;
}

export interface AgentView {
  id: string;
  role: string;
  driver: string;
  status: WorkStatus;
  sessionId: string | null;
  messages: number;
  /** USD over all the agent's invocations (interrupted ones included). */
  cost: number;
  /** Tokens over all its invocations; input counts cached input too. */
  inputTokens: number;
  outputTokens: number;
  /** The part of `cost` maos priced from streamed usage (a run cut before the CLI said); 0: none. */
  estimatedCost?: number;
  /** Worktree isolation (added by `withAgentFiles`): its branch and files. */
  branch?: string;
  /** Its branch and worktree are gone (`recover cleanup` after a merge); the files ref stays. */
  branchRemoved?: boolean;
  worktree?: string | null;
  /** After `orchestration discard`: the ref that keeps its work. */
  discarded?: string | null;
  /** No branch because none of its tasks ever started; or because this clone lacks maos's refs. */
  notStarted?: boolean;
  notInClone?: boolean;
  changedFiles?: string[];
  unmergedFiles?: string[];
  uncommittedFiles?: string[];
  /** Tool calls its CLI refused (`permission.denied`), when any. */
  refused?: number;
}

export interface TaskView {
  id: string;
  agent: string;
  title: string;
  status: WorkStatus;
  progress: number;
  dependsOn: string[];
  /** Tool calls refused during the task, when any: how many, and the first few. */
  refused?: number;
  refusals?: { tool: string; input: string }[];
  /** Numbers of its requests no one has answered yet: it waits for them. */
  waitingFor?: number[];
  /** How its last run ended (null while it has not ended): the reason a failed task failed. */
  result?: { status: "completed" | "failed"; summary: string | null } | null;
  /** How many times it was started (0: it never ran, so it has no output). */
  starts?: number;
}

/** `maos orchestration status --json` (DESIGN.md §5). */
export interface OrchestrationStatus {
  id: string;
  request: string;
  status: DerivedStatus;
  createdAt: string;
  updatedAt: string;
  durationMs: number;
  cost: number;
  /** The part of `cost` that is maos's estimate (see AgentView). */
  estimatedCost?: number;
  /** The part of `cost` the planner's request spent (in no agent's); 0: none. */
  plannerCost?: number;
  inputTokens: number;
  outputTokens: number;
  /** The budget and what is spent against it; null when none is set. */
  budget?: BudgetView | null;
  messages: number;
  progress: { completed: number; total: number };
  agents: AgentView[];
  tasks: TaskView[];
  recentMessages: MessageView[];
  /** How the agents keep their files (older orchestrations: shared). */
  isolation?: { mode: Isolation; base: string | null };
  /** The agents' permission requests (`maos approval list` has the same rows). */
  approvals?: ApprovalView[];
}
