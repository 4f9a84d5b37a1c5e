/**
 * Everything one report page shows, as plain data: the timeline fold of the
 * log, the derived status (a dead holder means `interrupted`), the header's
 * figures and each agent's changed files. The live page keeps a `ReportSource`
 * per orchestration and reads only the appended events on each look.
 *
 * @module
 */
import { LOG_START, type LogPosition, scanLog } from "../../store/log_read.ts";
import { inspectLock } from "../../store/lock.ts";
import type { MaosPaths } from "../../store/paths.ts";
import { MaosError } from "../../store/errors.ts";
import { type DerivedStatus, derivedStatus } from "../queries/queries.ts";
import { type AgentChanges, agentChanges } from "./agent_changes.ts";
import {
  type ApprovalView,
  type CostPoint,
  type Mark,
  type MessageRow,
  TimelineFold,
  type Turn,
} from "./timeline.ts";

export interface LaneView {
  id: string;
  role: string;
  driver: string;
  status: string;
  cost: number;
  tokens: number;
  /** False for a sender that is not an agent of the plan (a person). */
  agent: boolean;
}

export interface ReportHeader {
  id: string;
  request: string;
  status: DerivedStatus;
  driver: string;
  startedAt: number | null;
  endedAt: number | null;
  /** The newest event: "now" for a page drawn after the run. */
  lastAt: number | null;
  durationMs: number | null;
  tasksDone: number;
  tasksTotal: number;
  messages: number;
  cost: number;
  inputTokens: number;
  outputTokens: number;
  budget: Record<string, unknown> | null;
  approvals: ApprovalView[];
}

/** The page's data; `formatVersion` lets a later page read an older report. */
export interface ReportData {
  formatVersion: 1;
  generatedAt: number;
  lastSeq: number;
  header: ReportHeader;
  lanes: LaneView[];
  tasks: { id: string; agent: string; title: string; status: string }[];
  turns: Turn[];
  marks: Mark[];
  messages: MessageRow[];
  cost: CostPoint[];
  files: AgentChanges[];
}

/** An orchestration's log, folded as far as it has been read. */
export class ReportSource {
  #fold = new TimelineFold();
  #end: LogPosition = LOG_START;
  #files: AgentChanges[] = [];
  #filesFor = -1;

  constructor(readonly paths: MaosPaths, readonly id: string) {}

  /** Read what was appended since the last call (all of it the first time). */
  refresh(): boolean {
    const before = this.#end.seq;
    const scan = scanLog(
      this.paths.events(this.id),
      this.#end,
      (e) => this.#fold.add(e),
    );
    this.#end = scan.end;
    return scan.end.seq !== before;
  }

  get lastSeq(): number {
    return this.#end.seq;
  }

  /** The page's data now; files are read from git again only after a save. */
  async data(now = Date.now()): Promise<ReportData> {
    const timeline = this.#fold.data();
    const state = timeline.state;
    if (!state) {
      throw new MaosError(
        `orchestration ${this.id.slice(0, 8)} has no events yet`,
        2,
        "wait until it has started, then try again",
      );
    }
    const status = derivedStatus(
      state,
      inspectLock(this.paths.lock(this.id)),
    );
    const turns = timeline.turns.map((t) => ({ ...t }));
    const marks = [...timeline.marks];
    if (status === "interrupted") {
      // The process died and nothing resumed yet: the gap runs to now.
      const cut = timeline.lastAt ?? now;
      for (const turn of turns) {
        if (turn.end === null) {
          turn.end = cut;
          turn.outcome = "interrupted";
        }
      }
      marks.push({
        kind: "crash",
        at: cut,
        until: null,
        label: "interrupted (the process died; not resumed yet)",
      });
    }
    if (timeline.filesVersion !== this.#filesFor) {
      try {
        this.#files = await agentChanges(this.paths.projectRoot, state);
      } catch (err) {
        // Without git (or with a broken clone) the rest of the page still holds.
        const note = `files not read: ${
          err instanceof Error ? err.message : String(err)
        }`;
        this.#files = state.agents.map((a) => ({
          agent: a.id,
          files: [],
          note,
        }));
      }
      this.#filesFor = timeline.filesVersion;
    }
    // What was running when the process died is interrupted, as status says.
    const cut = (s: string) =>
      status === "interrupted" && s === "running" ? "interrupted" : s;
    const agents = new Set(state.agents.map((a) => a.id));
    const lanes: LaneView[] = [
      ...state.agents.map((a) => ({
        id: a.id,
        role: a.role,
        driver: a.driver,
        status: cut(a.status),
        cost: a.cost,
        tokens: a.inputTokens + a.outputTokens,
        agent: true,
      })),
      ...timeline.outsiders.filter((o) => !agents.has(o)).map((o) => ({
        id: o,
        role: "outside sender",
        driver: "",
        status: "",
        cost: 0,
        tokens: 0,
        agent: false,
      })),
    ];
    const start = timeline.startedAt ?? timeline.firstAt;
    const end = timeline.endedAt ??
      (status === "running" ? now : timeline.lastAt);
    return {
      formatVersion: 1,
      generatedAt: now,
      lastSeq: timeline.lastSeq,
      header: {
        id: state.id,
        request: state.request,
        status,
        driver: state.driver,
        startedAt: start,
        endedAt: timeline.endedAt,
        lastAt: timeline.lastAt,
        durationMs: start !== null && end !== null ? end - start : null,
        tasksDone: state.tasks.filter((t) => t.status === "completed").length,
        tasksTotal: state.tasks.length,
        messages: state.messages,
        cost: state.cost,
        inputTokens: state.inputTokens,
        outputTokens: state.outputTokens,
        budget: timeline.budget,
        approvals: timeline.approvals,
      },
      lanes,
      tasks: state.tasks.map((t) => ({
        id: t.id,
        agent: t.agent,
        title: t.title,
        status: cut(t.status),
      })),
      turns,
      marks,
      messages: timeline.messages,
      cost: timeline.cost,
      files: this.#files,
    };
  }
}

/** The report data of one orchestration, read whole from its log. */
export async function reportData(
  paths: MaosPaths,
  id: string,
): Promise<ReportData> {
  const source = new ReportSource(paths, id);
  source.refresh();
  return await source.data();
}
