/**
 * `maos recover restore`: rewind orchestrations to a checkpoint, fork from
 * it, or (dry run) say what either would change. A rewind never edits the
 * log: it appends a `checkpoint.restored` event carrying the state, and the
 * fold rewinds.
 *
 * @module
 */

import * as fs from "node:fs";
import * as path from "node:path";
import {
  readCheckpoint,
  resolveCheckpointId,
} from "../../store/checkpoints.ts";
import { loadConfig } from "../../store/config.ts";
import { ExitCode, MaosError } from "../../store/errors.ts";
import { resolveIdPrefix } from "../../store/ids.ts";
import { Journal, loadOrchestration } from "../../store/journal.ts";
import { inspectLock, type LockView } from "../../store/lock.ts";
import type { MaosPaths } from "../../store/paths.ts";
import type {
  CheckpointFile,
  Durability,
  OrchestrationState,
  WorkStatus,
} from "../../store/schema.ts";
import {
  type CheckpointSummary,
  summarizeCheckpoint,
} from "./checkpoint_list.ts";
import { type DerivedStatus, derivedStatus } from "../queries/queries.ts";
import {
  createFromCheckpoint,
  newFreeId,
  rewoundState,
} from "./restored_state.ts";
import { runningElsewhereError } from "../queries/running_elsewhere.ts";
import { foldEvent } from "../queries/state_fold.ts";
import {
  type FilesChange,
  forkAgentFiles,
  previewFilesRestore,
  restoreAgentFiles,
} from "../workspace/files_restore.ts";

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
  /** Paused, or the status the checkpoint had when it had ended. */
  statusAfter: "paused" | "completed" | "failed";
  tasks: TaskChange[];
  /** Dry run only: the restore would be refused (exit 3) because this holder runs it. */
  runningBy?: string;
  /** Worktree isolation: each agent's files commit and the files that change (would change). */
  files?: FilesChange[];
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
      const row = previewRestore(paths, entry, fork);
      if (row.action === "rewind") {
        row.files = await previewFilesRestore(
          projectRoot(paths),
          loadOrchestration(paths, entry.id, foldEvent).state,
          entry.state,
        );
      }
      result.orchestrations.push(row);
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
        // The files as they are go to a ref first; then the log and the worktrees rewind.
        row.files = await restoreAgentFiles(
          projectRoot(paths),
          journal,
          entry.state,
          () =>
            journal.append({
              type: "checkpoint.restored",
              checkpoint: checkpoint.id,
              state: rewoundState(entry.state, {}),
            }),
        );
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
        if (fork) {
          row.files = await forkAgentFiles(
            projectRoot(paths),
            loadOrchestration(paths, row.target, foldEvent).state,
          );
        }
      }
      result.orchestrations.push(row);
    }
  } finally {
    for (const journal of journals.values()) await journal.close();
  }
  return result;
}

/** The directory `.maos/` is in: the agents' project. */
function projectRoot(paths: MaosPaths): string {
  return path.dirname(paths.root);
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
      throw runningElsewhereError(
        paths,
        id,
        "it cannot be rewound now",
        "restore a copy with --fork",
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
    statusAfter: after.status as RestoreEntry["statusAfter"],
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
