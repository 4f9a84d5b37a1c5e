/**
 * Checkpoints: take them, rewind to them (or fork from them), inspect,
 * export and clean them up. A rewind never edits the log: it appends a
 * `checkpoint.restored` event carrying the state, and the fold rewinds.
 *
 * @module
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../../store/atomic_write.ts";
import {
  deleteCheckpoint as removeCheckpointFile,
  listCheckpoints,
  readCheckpoint,
  resolveCheckpointId,
  writeCheckpoint,
} from "../../store/checkpoints.ts";
import { loadConfig } from "../../store/config.ts";
import {
  corruptError,
  ExitCode,
  MaosError,
  usageError,
} from "../../store/errors.ts";
import { newId, resolveIdPrefix } from "../../store/ids.ts";
import { Journal, loadOrchestration } from "../../store/journal.ts";
import { toJsonText } from "../../store/json_file.ts";
import { inspectLock, type LockView } from "../../store/lock.ts";
import type { MaosPaths } from "../../store/paths.ts";
import {
  type CheckpointFile,
  type Durability,
  type NewEvent,
  type OrchestrationState,
  OrchestrationStateSchema,
  PlanSchema,
  type WorkStatus,
} from "../../store/schema.ts";
import { type DerivedStatus, derivedStatus } from "./queries.ts";
import { foldEvent } from "./state_fold.ts";

/** One row of `maos recover list --json` (DESIGN.md §5). */
export interface CheckpointSummary {
  id: string;
  name: string;
  auto: boolean;
  orchestrations: string[];
  createdAt: string;
}

export function summarizeCheckpoint(cp: CheckpointFile): CheckpointSummary {
  return {
    id: cp.id,
    name: cp.name,
    auto: cp.auto,
    orchestrations: cp.orchestrations.map((o) => o.id),
    createdAt: cp.createdAt,
  };
}

/** Checkpoints, newest first, optionally of one orchestration (id or prefix). */
export function listCheckpointSummaries(
  paths: MaosPaths,
  options: { orchestrationId?: string; limit?: number } = {},
): CheckpointSummary[] {
  let rows = listCheckpoints(paths).map(summarizeCheckpoint);
  if (options.orchestrationId !== undefined) {
    // The orchestration may be gone while its checkpoints remain: match both.
    const known = new Set(paths.listOrchestrationIds());
    for (const row of rows) row.orchestrations.forEach((id) => known.add(id));
    const id = resolveIdPrefix(
      options.orchestrationId,
      [...known],
      "orchestration",
    );
    rows = rows.filter((row) => row.orchestrations.includes(id));
  }
  return options.limit === undefined ? rows : rows.slice(0, options.limit);
}

// ---------------------------------------------------------------- checkpoint

export interface CheckpointResult {
  /** Null when there was nothing unfinished to checkpoint. */
  checkpoint: CheckpointFile | null;
  /** Orchestrations run live by another process: the file has them, their log does not. */
  live: string[];
  /** Unfinished-or-not could not be told (a corrupt file): left out, with why. */
  skipped: { id: string; reason: string }[];
}

/**
 * Checkpoint one orchestration (id or prefix), or every unfinished one.
 * Where no live process holds the orchestration, `checkpoint.created` is
 * also appended to its log; a live one only gets the checkpoint file, since
 * its log belongs to the process running it.
 */
export async function checkpointOrchestrations(
  paths: MaosPaths,
  options: { name?: string; orchestrationId?: string; now?: Date } = {},
): Promise<CheckpointResult> {
  const name = checkpointName(options.name, options.now ?? new Date());
  const skipped: CheckpointResult["skipped"] = [];
  const ids = options.orchestrationId === undefined
    ? unfinishedIds(paths, skipped)
    : [resolveIdPrefix(
      options.orchestrationId,
      paths.listOrchestrationIds(),
      "orchestration",
    )];
  if (ids.length === 0) return { checkpoint: null, live: [], skipped };
  const { durability } = await loadConfig(paths);
  const journals: Journal[] = [];
  const states: OrchestrationState[] = [];
  const live: string[] = [];
  try {
    for (const id of ids) {
      const journal = openUnlessLive(paths, id, durability, "maos checkpoint");
      if (journal) {
        journals.push(journal);
        states.push(journal.state);
      } else {
        live.push(id);
        states.push(loadOrchestration(paths, id, foldEvent).state);
      }
    }
    const checkpoint = await writeCheckpoint(paths, {
      name,
      auto: false,
      states,
    });
    for (const journal of journals) {
      journal.append({
        type: "checkpoint.created",
        checkpoint: checkpoint.id,
        name,
        auto: false,
      });
    }
    return { checkpoint, live, skipped };
  } finally {
    for (const journal of journals) await journal.close();
  }
}

/** One corrupt orchestration must not stop the others from being checkpointed. */
function unfinishedIds(
  paths: MaosPaths,
  skipped: CheckpointResult["skipped"],
): string[] {
  return paths.listOrchestrationIds().sort().filter((id) => {
    if (!fs.existsSync(paths.events(id))) return false; // being created now
    try {
      const { status } = loadOrchestration(paths, id, foldEvent).state;
      return status !== "completed" && status !== "failed";
    } catch (err) {
      if (!(err instanceof MaosError)) throw err;
      skipped.push({ id, reason: err.message });
      return false;
    }
  });
}

/** The default is `manual-YYYYMMDD-HHMMSS` (local time, as a person reads it). */
function checkpointName(name: string | undefined, now: Date): string {
  if (name === undefined) {
    const two = (n: number) => String(n).padStart(2, "0");
    return `manual-${now.getFullYear()}${two(now.getMonth() + 1)}${
      two(now.getDate())
    }-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
  }
  const trimmed = name.trim();
  // deno-lint-ignore no-control-regex
  if (!trimmed || trimmed.length > 80 || /[\x00-\x1f\x7f]/.test(trimmed)) {
    throw usageError(
      `invalid checkpoint name '${name}'`,
      "use 1 to 80 printable characters, e.g. --name before-refactor",
    );
  }
  return trimmed;
}

/** Journal.open, or undefined when another live process drives it. */
function openUnlessLive(
  paths: MaosPaths,
  id: string,
  durability: Durability,
  command: string,
): Journal | undefined {
  try {
    return Journal.open(paths, id, foldEvent, durability, command);
  } catch (err) {
    if (err instanceof MaosError && err.code === ExitCode.locked) {
      return undefined;
    }
    throw err;
  }
}

// ---------------------------------------------------------------- restore

export interface TaskChange {
  id: string;
  title: string;
  /** Status now (null when the restore creates the orchestration). */
  before: WorkStatus | null;
  after: WorkStatus;
}

export interface RestoreEntry {
  /** The orchestration as recorded in the checkpoint. */
  id: string;
  /** Where its state goes: the same id, a new fork (null in a dry run). */
  target: string | null;
  /** rewind: append to its log; fork: new orchestration; recreate: it was deleted. */
  action: "rewind" | "fork" | "recreate";
  checkpointSeq: number;
  /** Last event of the orchestration now (null when it does not exist). */
  currentSeq: number | null;
  statusBefore: DerivedStatus | null;
  statusAfter: "paused";
  tasks: TaskChange[];
  /** Dry run only: the restore would be refused (exit 3) because this holder runs it. */
  runningBy?: string;
}

export interface RestoreResult {
  checkpoint: CheckpointSummary;
  dryRun: boolean;
  fork: boolean;
  orchestrations: RestoreEntry[];
}

/**
 * Rewind the orchestrations of a checkpoint to its state (exit 3 while a
 * live process runs one of them), or with `fork` copy that state into new
 * orchestrations and leave the originals alone. What was running in the
 * checkpoint comes back `interrupted`, under a `paused` orchestration, so a
 * resume runs it again. `dryRun` reports what would change and writes nothing.
 */
export async function restoreCheckpoint(
  paths: MaosPaths,
  checkpointPrefix: string,
  options: { dryRun?: boolean; fork?: boolean; orchestrationId?: string } = {},
): Promise<RestoreResult> {
  const checkpoint = readCheckpoint(
    paths,
    resolveCheckpointId(paths, checkpointPrefix),
  );
  let entries = checkpoint.orchestrations;
  if (options.orchestrationId !== undefined) {
    const id = resolveIdPrefix(
      options.orchestrationId,
      entries.map((e) => e.id),
      "orchestration",
    );
    entries = entries.filter((e) => e.id === id);
  }
  const fork = Boolean(options.fork);
  const result: RestoreResult = {
    checkpoint: summarizeCheckpoint(checkpoint),
    dryRun: Boolean(options.dryRun),
    fork,
    orchestrations: [],
  };
  if (options.dryRun) {
    for (const entry of entries) {
      result.orchestrations.push(previewRestore(paths, entry, fork));
    }
    return result;
  }

  const { durability } = await loadConfig(paths);
  // Seen before we take the locks, so "before" shows running vs interrupted.
  const locks = new Map(entries.map((e) => [e.id, lockOf(paths, e.id)]));
  // Take every lock before changing anything: all of the checkpoint is
  // restored, or (exit 3) none of it.
  const journals = new Map<string, Journal>();
  try {
    if (!fork) {
      for (const entry of entries) {
        if (!fs.existsSync(paths.events(entry.id))) continue;
        journals.set(entry.id, openForRestore(paths, entry.id, durability));
      }
    }
    for (const entry of entries) {
      const journal = journals.get(entry.id);
      const row = previewRestore(paths, entry, fork, {
        current: journal?.state,
        lock: locks.get(entry.id),
      });
      delete row.runningBy;
      if (journal) {
        journal.append({
          type: "checkpoint.restored",
          checkpoint: checkpoint.id,
          state: rewoundState(entry.state, {}),
        });
        await journal.snapshot();
      } else {
        row.target = await createFromCheckpoint(
          paths,
          checkpoint.id,
          entry.state,
          fork ? newFreeId(paths) : entry.id,
          durability,
          fork,
        );
      }
      result.orchestrations.push(row);
    }
  } finally {
    for (const journal of journals.values()) await journal.close();
  }
  return result;
}

function openForRestore(
  paths: MaosPaths,
  id: string,
  durability: Durability,
): Journal {
  try {
    return Journal.open(
      paths,
      id,
      foldEvent,
      durability,
      "maos recover restore",
    );
  } catch (err) {
    if (err instanceof MaosError && err.code === ExitCode.locked) {
      throw new MaosError(
        `orchestration ${id.slice(0, 8)} is running in another process, ` +
          `so it cannot be rewound now (${err.message})`,
        ExitCode.locked,
        "stop it first (Ctrl-C pauses it), or restore a copy with --fork",
      );
    }
    throw err;
  }
}

function lockOf(paths: MaosPaths, id: string): LockView | undefined {
  return fs.existsSync(paths.events(id))
    ? inspectLock(paths.lock(id))
    : undefined;
}

function previewRestore(
  paths: MaosPaths,
  entry: CheckpointFile["orchestrations"][number],
  fork: boolean,
  seen: { current?: OrchestrationState; lock?: LockView } = {},
): RestoreEntry {
  const exists = fs.existsSync(paths.events(entry.id));
  let current = seen.current;
  if (!current && exists && !fork) {
    current = loadOrchestration(paths, entry.id, foldEvent).state;
  }
  const lock = seen.lock ?? lockOf(paths, entry.id);
  const after = rewoundState(entry.state, {});
  const before = new Map(current?.tasks.map((t) => [t.id, t.status]));
  const row: RestoreEntry = {
    id: entry.id,
    target: fork ? null : entry.id,
    action: fork ? "fork" : exists ? "rewind" : "recreate",
    checkpointSeq: entry.seq,
    currentSeq: current?.lastSeq ?? null,
    statusBefore: current && lock ? derivedStatus(current, lock) : null,
    statusAfter: "paused",
    tasks: after.tasks.map((t) => ({
      id: t.id,
      title: t.title,
      before: before.get(t.id) ?? null,
      after: t.status,
    })),
  };
  if (!fork && lock?.state === "live") {
    row.runningBy = `pid ${lock.lock.pid} on ${lock.lock.host}`;
  }
  return row;
}

/**
 * The checkpoint's state as it is restored: paused, and whatever was
 * running then is interrupted now, so a resume runs it again. Parsed by the
 * schema so its key order is the one a replay of the log gives.
 */
export function rewoundState(
  state: OrchestrationState,
  overrides: Partial<OrchestrationState>,
): OrchestrationState {
  const interrupted = <T extends { status: WorkStatus }>(item: T): T =>
    item.status === "running" ? { ...item, status: "interrupted" } : item;
  return OrchestrationStateSchema.parse({
    ...state,
    ...overrides,
    status: "paused",
    agents: state.agents.map(interrupted),
    tasks: state.tasks.map(interrupted),
  });
}

/**
 * A new orchestration `id` whose log is `orchestration.created` (the plan
 * the checkpoint's state holds) then `checkpoint.restored`: a fork, or an
 * orchestration that was deleted since the checkpoint, brought back.
 */
async function createFromCheckpoint(
  paths: MaosPaths,
  checkpointId: string,
  state: OrchestrationState,
  id: string,
  durability: Durability,
  fork: boolean,
): Promise<string> {
  const plan = PlanSchema.safeParse({
    agents: state.agents.map((a) => ({
      id: a.id,
      role: a.role,
      driver: a.driver,
      instructions: a.instructions,
    })),
    tasks: state.tasks.map((t) => ({
      id: t.id,
      agent: t.agent,
      title: t.title,
      description: t.description,
      dependsOn: t.dependsOn,
      ...(t.run === undefined ? {} : { run: t.run }),
    })),
  });
  if (!plan.success) {
    throw corruptError(
      `checkpoint ${checkpointId} holds no usable plan for ${state.id}`,
    );
  }
  const created: NewEvent = {
    type: "orchestration.created",
    id,
    request: state.request,
    driver: state.driver,
    maxParallel: state.maxParallel,
    plan: plan.data,
  };
  const journal = await Journal.create(
    paths,
    id,
    created,
    foldEvent,
    durability,
    "maos recover restore",
  );
  try {
    journal.append({
      type: "checkpoint.restored",
      checkpoint: checkpointId,
      // A new folder has an empty inbox: an old offset would skip its first messages.
      state: rewoundState(state, {
        id,
        createdAt: fork ? journal.state.createdAt : state.createdAt,
        inboxOffset: 0,
      }),
    });
  } finally {
    await journal.close();
  }
  return id;
}

function newFreeId(paths: MaosPaths): string {
  for (;;) {
    const id = newId();
    if (!fs.existsSync(paths.orchestration(id))) return id;
  }
}

// ---------------------------------------------------------------- manage

export interface CheckpointInfo extends CheckpointSummary {
  details: {
    id: string;
    seq: number;
    request: string;
    status: string;
    progress: { completed: number; total: number };
    agents: number;
    messages: number;
    cost: number;
    tasks: { id: string; title: string; status: WorkStatus }[];
    /** The orchestration's last event now; null when it no longer exists. */
    currentSeq: number | null;
  }[];
}

/** What a checkpoint holds, next to where its orchestrations are now. */
export function checkpointInfo(
  paths: MaosPaths,
  prefix: string,
): CheckpointInfo {
  const cp = readCheckpoint(paths, resolveCheckpointId(paths, prefix));
  return {
    ...summarizeCheckpoint(cp),
    details: cp.orchestrations.map(({ id, seq, state }) => ({
      id,
      seq,
      request: state.request,
      status: state.status,
      progress: {
        completed: state.tasks.filter((t) => t.status === "completed").length,
        total: state.tasks.length,
      },
      agents: state.agents.length,
      messages: state.messages,
      cost: state.cost,
      tasks: state.tasks.map((t) => ({
        id: t.id,
        title: t.title,
        status: t.status,
      })),
      currentSeq: fs.existsSync(paths.events(id))
        ? loadOrchestration(paths, id, foldEvent).state.lastSeq
        : null,
    })),
  };
}

export function deleteCheckpoint(
  paths: MaosPaths,
  prefix: string,
): CheckpointSummary {
  const cp = readCheckpoint(paths, resolveCheckpointId(paths, prefix));
  removeCheckpointFile(paths, cp.id);
  return summarizeCheckpoint(cp);
}

/** Copy a checkpoint to `file` (relative to `cwd`) as it is stored: portable JSON. */
export function exportCheckpoint(
  paths: MaosPaths,
  prefix: string,
  file: string,
  cwd: string,
): { checkpoint: CheckpointSummary; file: string } {
  const cp = readCheckpoint(paths, resolveCheckpointId(paths, prefix));
  const target = writableTarget(file, cwd);
  writeFileAtomic(target, toJsonText(cp));
  return { checkpoint: summarizeCheckpoint(cp), file: target };
}

/** Resolve an output file, refusing a folder or a parent that does not exist. */
export function writableTarget(file: string, cwd: string): string {
  const target = path.resolve(cwd, file);
  if (!fs.existsSync(path.dirname(target))) {
    throw usageError(`folder ${path.dirname(target)} does not exist`);
  }
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    throw usageError(`${target} is a folder`, "give a file name");
  }
  return target;
}

export interface CleanupOptions {
  /** Keep the newest `keep` checkpoints. */
  keep?: number;
  /** Remove checkpoints older than this many days. */
  olderThanDays?: number;
  dryRun?: boolean;
  now?: Date;
}

/**
 * Remove checkpoints. With `keep` and `olderThanDays` together, a
 * checkpoint goes only when it is outside the newest `keep` and older than
 * the age. With neither, the auto-checkpoint retention of maos.json is
 * applied (manual checkpoints stay). Returns what was (or would be) removed.
 */
export async function cleanup(
  paths: MaosPaths,
  options: CleanupOptions,
): Promise<CheckpointSummary[]> {
  const all = listCheckpoints(paths);
  let doomed: CheckpointFile[];
  if (options.keep === undefined && options.olderThanDays === undefined) {
    const { checkpoints } = await loadConfig(paths);
    const seen = new Map<string, number>();
    doomed = all.filter((cp) => {
      if (!cp.auto || cp.orchestrations.length !== 1) return false;
      const id = cp.orchestrations[0].id;
      const rank = (seen.get(id) ?? 0) + 1;
      seen.set(id, rank);
      return rank > checkpoints.keepAuto;
    });
  } else {
    const cutoff = options.olderThanDays === undefined
      ? Infinity
      : (options.now ?? new Date()).getTime() -
        options.olderThanDays * 86_400_000;
    doomed = all.filter((cp, index) =>
      index >= (options.keep ?? 0) && Date.parse(cp.createdAt) < cutoff
    );
  }
  if (!options.dryRun) {
    for (const cp of doomed) removeCheckpointFile(paths, cp.id);
  }
  return doomed.map(summarizeCheckpoint);
}
