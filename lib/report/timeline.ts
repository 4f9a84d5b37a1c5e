/**
 * The report room: `maos orchestration report` and `maos ui` draw an
 * orchestration as one picture. This file folds its event log into timeline
 * data (lanes, turns, marks, messages, cost over time); report_data.ts adds
 * what only git knows, page_html.ts renders it, ui_server.ts serves it live.
 *
 * The fold is incremental (`add` one event at a time), so the live page
 * reads only what was appended since its last look.
 *
 * @module
 */
import {
  EventSchema,
  type MaosEvent,
  type OrchestrationState,
} from "../../store/schema.ts";
import { foldEvent } from "../queries/state_fold.ts";
import { readForeignEvent } from "./foreign_events.ts";

/** Event types the state fold knows; others only reach the report's own readers. */
const FOLDED = new Set<string>(
  EventSchema.options.map((o) => o.shape.type.value),
);

/** How a turn (one run of a task by its agent) ended, or that it has not. */
export type TurnOutcome =
  | "running"
  | "completed"
  | "failed"
  | "paused"
  | "interrupted";

/** A bar on an agent's lane: `end` null while it runs. Times are ms since the epoch. */
export interface Turn {
  agent: string;
  task: string;
  title: string;
  start: number;
  end: number | null;
  outcome: TurnOutcome;
  /** What the agent said it did, once the turn ended with one. */
  summary?: string;
}

/** Events drawn across every lane (or, with `agent`, on one). */
export type MarkKind =
  | "start"
  | "pause"
  | "crash"
  | "resume"
  | "restore"
  | "fork"
  | "checkpoint"
  | "end"
  | "approval"
  | "denied"
  | "budget";

export interface Mark {
  kind: MarkKind;
  at: number;
  /** A crash is a gap: from the last event before it to the resume (null: not resumed yet). */
  until?: number | null;
  label: string;
  agent?: string;
}

/** A message, compact because a long run has many: [seq, at, from, to, kind, content]. */
export type MessageRow = [
  seq: number,
  at: number,
  from: string,
  to: string | null,
  kind: string,
  content: string,
];

/** The spending of one agent after one `cost` event (cumulative). */
export interface CostPoint {
  at: number;
  agent: string;
  usd: number;
  tokens: number;
  totalUsd: number;
  totalTokens: number;
}

/** An approval asked for, and its answer once given (issue 14's events). */
export interface ApprovalView {
  n: number;
  agent: string;
  tool: string;
  at: number;
  decision: string | null;
}

export interface TimelineData {
  state: OrchestrationState | null;
  lastSeq: number;
  firstAt: number | null;
  lastAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  turns: Turn[];
  marks: Mark[];
  messages: MessageRow[];
  cost: CostPoint[];
  approvals: ApprovalView[];
  /** The newest budget event's fields, as logged (issue 15's events). */
  budget: Record<string, unknown> | null;
  /** Senders that are not agents of the plan (a person, `maos message send`). */
  outsiders: string[];
  /** Changes whenever an agent's files were saved: the files table is stale. */
  filesVersion: number;
}

/** Folds events, in log order, into what the report draws. */
export class TimelineFold {
  #state: OrchestrationState | undefined;
  #lastSeq = 0;
  #firstAt: number | null = null;
  #lastAt: number | null = null;
  #startedAt: number | null = null;
  #endedAt: number | null = null;
  #live = false;
  #open = new Map<string, Turn>();
  #turns: Turn[] = [];
  #marks: Mark[] = [];
  #messages: MessageRow[] = [];
  #cost: CostPoint[] = [];
  #approvals = new Map<number, ApprovalView>();
  #budget: Record<string, unknown> | null = null;
  #outsiders = new Set<string>();
  #filesVersion = 0;

  add(event: MaosEvent): void {
    const at = Date.parse(event.at);
    const previousAt = this.#lastAt ?? at;
    this.#firstAt ??= at;
    this.#lastSeq = event.seq;
    this.#lastAt = at;
    const budget = readForeignEvent(event, at, this.#approvals, this.#marks);
    if (budget) this.#budget = { ...this.#budget, ...budget };
    switch (event.type) {
      case "orchestration.started":
        this.#startedAt ??= at;
        this.#live = true;
        this.#marks.push({ kind: "start", at, label: "started" });
        break;
      case "orchestration.resumed":
        if (this.#live) this.#crash(previousAt, at);
        this.#live = true;
        this.#endedAt = null;
        this.#marks.push({
          kind: "resume",
          at,
          label: event.task
            ? `resumed with a new task: ${event.task}`
            : "resumed",
        });
        break;
      case "orchestration.paused":
        this.#live = false;
        this.#closeAll(at, "paused");
        this.#marks.push({
          kind: "pause",
          at,
          label: `paused (${event.reason})`,
        });
        break;
      case "orchestration.completed":
      case "orchestration.failed":
        this.#live = false;
        this.#endedAt = at;
        this.#closeAll(at, "interrupted");
        this.#marks.push({
          kind: "end",
          at,
          label: event.type === "orchestration.completed"
            ? "completed"
            : `failed: ${event.reason}`,
        });
        break;
      case "task.added":
      case "task.status":
        break;
      case "checkpoint.created":
        this.#marks.push({
          kind: "checkpoint",
          at,
          label: `checkpoint ${event.name}${event.auto ? " (auto)" : ""}`,
        });
        break;
      case "checkpoint.restored":
        this.#closeAll(at, "interrupted");
        this.#marks.push({
          // A fork's log is `created` then `restored`: it begins at the checkpoint.
          kind: event.seq === 2 ? "fork" : "restore",
          at,
          label: event.seq === 2
            ? `forked from checkpoint ${event.checkpoint.slice(0, 8)}`
            : `restored checkpoint ${event.checkpoint.slice(0, 8)}`,
        });
        break;
      case "agent.files":
        this.#filesVersion++;
        break;
      case "message":
        this.#messages.push([
          event.seq,
          at,
          event.from,
          event.to,
          event.kind,
          // A body kept in a file: its start, and where the whole one is.
          event.contentFile === undefined
            ? event.content
            : `${event.content} (the whole message, ${event.contentBytes} bytes, is in .maos/orchestrations/${
              this.#state?.id ?? "?"
            }/${event.contentFile})`,
        ]);
        break;
    }
    const before = this.#state;
    if (FOLDED.has(event.type)) this.#state = foldEvent(this.#state, event);
    if (event.type === "task.status") this.#taskStatus(before, event, at);
    if (event.type === "message") this.#sender(event.from);
    if (event.type === "cost") this.#costPoint(event.agent, at);
  }

  /** What has been folded so far; open turns stay open (`end: null`). */
  data(): TimelineData {
    return {
      state: this.#state ?? null,
      lastSeq: this.#lastSeq,
      firstAt: this.#firstAt,
      lastAt: this.#lastAt,
      startedAt: this.#startedAt,
      endedAt: this.#endedAt,
      turns: [...this.#turns, ...this.#open.values()],
      marks: [...this.#marks],
      messages: this.#messages,
      cost: this.#cost,
      approvals: [...this.#approvals.values()],
      budget: this.#budget,
      outsiders: [...this.#outsiders],
      filesVersion: this.#filesVersion,
    };
  }

  /** The process died while running: what ran was cut at its last event. */
  #crash(lastSeen: number, resumedAt: number): void {
    this.#closeAll(lastSeen, "interrupted");
    this.#marks.push({
      kind: "crash",
      at: lastSeen,
      until: resumedAt,
      label: "interrupted (the process died)",
    });
  }

  #taskStatus(
    before: OrchestrationState | undefined,
    event: Extract<MaosEvent, { type: "task.status" }>,
    at: number,
  ): void {
    const task = this.#state?.tasks.find((t) => t.id === event.task) ??
      before?.tasks.find((t) => t.id === event.task);
    if (!task) return;
    const open = this.#open.get(task.id);
    if (event.status === "running") {
      if (open) this.#close(open, at, "interrupted");
      this.#open.set(task.id, {
        agent: task.agent,
        task: task.id,
        title: task.title,
        start: at,
        end: null,
        outcome: "running",
      });
      return;
    }
    if (!open) return;
    if (event.summary) open.summary = event.summary;
    this.#close(
      open,
      at,
      event.status === "pending" ? "interrupted" : event.status,
    );
  }

  #close(turn: Turn, at: number, outcome: TurnOutcome): void {
    turn.end = Math.max(at, turn.start);
    turn.outcome = outcome;
    this.#open.delete(turn.task);
    this.#turns.push(turn);
  }

  #closeAll(at: number, outcome: TurnOutcome): void {
    for (const turn of [...this.#open.values()]) this.#close(turn, at, outcome);
  }

  #sender(from: string): void {
    if (this.#state?.agents.some((a) => a.id === from)) return;
    this.#outsiders.add(from);
  }

  #costPoint(agentId: string, at: number): void {
    const state = this.#state;
    const agent = state?.agents.find((a) => a.id === agentId);
    if (!state || !agent) return;
    this.#cost.push({
      at,
      agent: agentId,
      usd: agent.cost,
      tokens: agent.inputTokens + agent.outputTokens,
      totalUsd: state.cost,
      totalTokens: state.inputTokens + state.outputTokens,
    });
  }
}
