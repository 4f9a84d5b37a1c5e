/**
 * Read-only views of the store for `list`, `status`, `message list` and
 * `agent list`. They never take run.lock: a reader must not disturb (or wait
 * for) the process driving an orchestration.
 *
 * @module
 */

import { budgetView } from "./budget.ts";
import * as fs from "node:fs";
import { ExitCode, MaosError, usageError } from "../../store/errors.ts";
import { logEndsAt, readRecentEvents } from "../../store/event_log.ts";
import {
  type LoadedOrchestration,
  loadOrchestration,
  readSnapshot,
} from "../../store/journal.ts";
import { inspectLock, type LockView } from "../../store/lock.ts";
import type { MaosPaths } from "../../store/paths.ts";
import {
  readSnapshotSummary,
  type SnapshotSummary,
} from "../../store/snapshot_summary.ts";
import type {
  OrchestrationState,
  SnapshotFile,
  WorkStatus,
} from "../../store/schema.ts";
import { foldEvent } from "./state_fold.ts";
import { messageView } from "./messages.ts";
import { approvalsNow } from "./approvals_now.ts";
import { approvalView } from "../approvals/list.ts";
import { damagedRow, isCorrupt } from "./damaged.ts";
import { listRow } from "./list_row.ts";
import type {
  DerivedStatus,
  ListedStatus,
  OrchestrationStatus,
  OrchestrationSummary,
} from "./views.ts";

export * from "./views.ts";

/**
 * A state that says `running` is only believed while a live process holds
 * its lock; otherwise that process died (kill -9, power loss) and the
 * orchestration is `interrupted`.
 *
 * @example
 * derivedStatus({ status: "running" }, { state: "free" }); // "interrupted"
 */
export function derivedStatus(
  state: Pick<OrchestrationState, "status">,
  lock: LockView,
): DerivedStatus {
  if (state.status === "running" && lock.state !== "live") return "interrupted";
  return state.status;
}

/**
 * Every orchestration, newest first, from state.json alone (no log replay),
 * so listing stays fast with thousands of them. A corrupt state.json is an
 * error naming the file (exit 4); a missing one falls back to replaying the
 * log; a folder with neither is one being created right now and is skipped.
 */
export function listOrchestrations(
  paths: MaosPaths,
  options: {
    status?: ListedStatus;
    limit?: number;
    onWarning?: (text: string) => void;
  } = {},
): OrchestrationSummary[] {
  const rows: OrchestrationSummary[] = [];
  for (const id of paths.listOrchestrationIds()) {
    let state;
    try {
      state = listedState(paths, id, options.onWarning);
    } catch (err) {
      // One damaged orchestration is one row, not the end of the list.
      if (!isCorrupt(err)) throw err;
      if (!options.status || options.status === "damaged") {
        rows.push(damagedRow(paths, id, err));
      }
      continue;
    }
    if (!state) continue;
    // Only a `running` state needs the lock to tell running from interrupted.
    const status = state.status === "running"
      ? derivedStatus(state, inspectLock(paths.lock(id)))
      : state.status;
    if (options.status && status !== options.status) continue;
    rows.push(listRow(state, status));
  }
  // ISO times and hex ids sort the same by code unit as by locale, which is
  // far slower (a tenth of listing 10,000, tests/bench/).
  rows.sort((a, b) =>
    compareText(b.createdAt, a.createdAt) || compareText(b.id, a.id)
  );
  return options.limit === undefined ? rows : rows.slice(0, options.limit);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The state as of the end of the log, cheaply: state.json alone when the log
 * has not grown past its logOffset (the common case), else state.json plus the
 * log's tail. state.json is only a cache: a damaged one is rebuilt from the
 * log (with a warning) instead of hiding the orchestration.
 */
function currentState(
  paths: MaosPaths,
  id: string,
  onWarning?: (text: string) => void,
): OrchestrationState | undefined {
  return loadCurrent(paths, id, onWarning)?.state;
}

/**
 * A listing's row source: state.json's summary when the log has not grown
 * past it (the common case), else the whole current state.
 */
function listedState(
  paths: MaosPaths,
  id: string,
  onWarning?: (text: string) => void,
): SnapshotSummary["state"] | undefined {
  let summary: SnapshotSummary | null = null;
  try {
    summary = readSnapshotSummary(paths, id);
  } catch { /* damaged: loadCurrent rebuilds it and says so */ }
  if (summary && logEndsAt(paths.events(id), summary.logOffset)) {
    return summary.state;
  }
  return currentState(paths, id, onWarning);
}

function loadCurrent(
  paths: MaosPaths,
  id: string,
  onWarning?: (text: string) => void,
): LoadedOrchestration | undefined {
  let size = 0;
  try {
    size = fs.statSync(paths.events(id)).size;
  } catch { /* no log (yet) */ }
  let snapshot: SnapshotFile | null;
  try {
    snapshot = readSnapshot(paths, id);
  } catch (err) {
    if (
      !(err instanceof MaosError) || err.code !== ExitCode.corrupt || size === 0
    ) throw err;
    onWarning?.(
      `${err.message}; rebuilt from events.jsonl (repair with: maos doctor --repair)`,
    );
    snapshot = null;
  }
  if (!snapshot && size === 0) return undefined; // being created
  if (snapshot && snapshot.logOffset === size) {
    return {
      state: snapshot.state,
      end: { seq: snapshot.state.lastSeq, offset: size },
      tornBytes: 0,
      hintMatched: true,
      replayed: 0,
    };
  }
  return loadOrchestration(paths, id, foldEvent, snapshot);
}

/**
 * The status of one orchestration: snapshot plus the log past it, recent
 * messages read backwards from the end of the log. When the orchestration
 * is interrupted, what the state calls running is shown as interrupted too.
 */
export function orchestrationStatus(
  paths: MaosPaths,
  id: string,
  options: {
    messages?: number;
    now?: Date;
    onWarning?: (text: string) => void;
  } = {},
): OrchestrationStatus {
  const loaded = loadCurrent(paths, id, options.onWarning);
  if (!loaded) throw usageError(`orchestration ${id} has no events yet`);
  if (!loaded.hintMatched) {
    options.onWarning?.(
      `${
        paths.state(id)
      }: logOffset did not match events.jsonl; the log was read whole`,
    );
  }
  const state = loaded.state;
  const status = derivedStatus(state, inspectLock(paths.lock(id)));
  // Answers still in inbox.jsonl (given while paused) count already.
  const approvals = approvalsNow(paths, state);
  const shown = (work: WorkStatus): WorkStatus =>
    status === "interrupted" && work === "running" ? "interrupted" : work;
  const now = (options.now ?? new Date()).getTime();
  const created = Date.parse(state.createdAt);
  const end = status === "running" ? now : Date.parse(state.updatedAt);
  const recent = readRecentEvents(
    paths.events(id),
    options.messages ?? 10,
    (event) => event.type === "message",
  );
  return {
    id: state.id,
    request: state.request,
    status,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    durationMs: Math.max(0, end - created),
    cost: state.cost,
    estimatedCost: state.estimatedCost ?? 0,
    plannerCost: state.plannerCost?.costUsd ?? 0,
    inputTokens: state.inputTokens,
    outputTokens: state.outputTokens,
    budget: budgetView(state),
    messages: state.messages,
    progress: {
      completed: state.tasks.filter((t) => t.status === "completed").length,
      total: state.tasks.length,
    },
    agents: state.agents.map((a) => ({
      id: a.id,
      role: a.role,
      driver: a.driver,
      status: shown(a.status),
      sessionId: a.sessionId,
      messages: a.messages,
      cost: a.cost,
      inputTokens: a.inputTokens,
      outputTokens: a.outputTokens,
      ...(a.refused ? { refused: a.refused } : {}),
      estimatedCost: a.estimatedCost ?? 0,
    })),
    tasks: state.tasks.map((t) => {
      const waitingFor = approvals.filter((a) =>
        a.task === t.id && a.status === "pending"
      ).map((a) => a.n);
      return {
        id: t.id,
        agent: t.agent,
        title: t.title,
        status: shown(t.status),
        progress: t.progress,
        dependsOn: t.dependsOn,
        result: t.status === "completed" || t.status === "failed"
          ? { status: t.status, summary: t.summary }
          : null,
        starts: t.starts,
        ...(t.refused
          ? { refused: t.refused, refusals: t.refusals ?? [] }
          : {}),
        ...(waitingFor.length ? { waitingFor } : {}),
      };
    }),
    recentMessages: recent.flatMap(messageView),
    isolation: state.isolation ?? { mode: "shared", base: null },
    approvals: approvals.map(approvalView),
  };
}
