import * as fs from "node:fs";
import { ensureDir, fsyncDir } from "./atomic_write.ts";
import {
  diskError,
  errnoCode,
  ExitCode,
  MaosError,
  usageError,
} from "./errors.ts";
import { newId, resolveIdPrefix } from "./ids.ts";
import { DurableJsonFile } from "./json_file.ts";
import type { MaosPaths } from "./paths.ts";
import {
  type CheckpointFile,
  CheckpointFileSchema,
  FORMAT_VERSION,
  type OrchestrationState,
} from "./schema.ts";

export interface CheckpointInput {
  name: string;
  auto: boolean;
  states: OrchestrationState[];
}

/** A checkpoint file that could not be read: left where it is, never deleted here. */
export interface DamagedCheckpoint {
  id: string;
  file: string;
  /** One line that names the file and says what is wrong. */
  error: string;
}

/** Every checkpoint file, sorted into the ones that read and the damaged ones. */
export interface CheckpointScan {
  /** Newest first. */
  checkpoints: CheckpointFile[];
  damaged: DamagedCheckpoint[];
}

/** Write a checkpoint file (full snapshots at their seq) through lowdb's durable adapter. */
export async function writeCheckpoint(
  paths: MaosPaths,
  input: CheckpointInput,
): Promise<CheckpointFile> {
  const checkpoint: CheckpointFile = {
    formatVersion: FORMAT_VERSION,
    id: newId(),
    name: input.name,
    auto: input.auto,
    createdAt: new Date().toISOString(),
    orchestrations: input.states.map((state) => ({
      id: state.id,
      seq: state.lastSeq,
      state,
    })),
  };
  await storeCheckpoint(paths, checkpoint);
  return checkpoint;
}

/**
 * Store a whole checkpoint as it is (an imported one keeps its id), through
 * the same durable atomic path: temp file → fsync → rename → fsync dir.
 */
export async function storeCheckpoint(
  paths: MaosPaths,
  checkpoint: CheckpointFile,
): Promise<void> {
  ensureDir(paths.checkpoints);
  // Through the lowdb adapter, with the fsyncs off the main thread: an
  // auto-checkpoint is written while the other agents keep talking.
  await new DurableJsonFile(
    paths.checkpoint(checkpoint.id),
    CheckpointFileSchema,
  )
    .writeInBackground(checkpoint);
}

export function readCheckpoint(paths: MaosPaths, id: string): CheckpointFile {
  const file = new DurableJsonFile(paths.checkpoint(id), CheckpointFileSchema)
    .readSync();
  if (!file) {
    throw usageError(
      `checkpoint '${id}' not found`,
      "list them with: maos recover list",
    );
  }
  return file;
}

/** Resolve a checkpoint id prefix (4+ hex) to the full id. */
/**
 * A checkpoint by id prefix (4+ hex characters) or by name: the exact
 * name, else a unique beginning of one, like an id prefix. An ambiguous
 * name is an error listing the ids it could be (exit 2).
 */
export function resolveCheckpointId(paths: MaosPaths, prefix: string): string {
  const ids = paths.listCheckpointIds();
  if (
    /^[0-9a-f]{4,12}$/.test(prefix) && ids.some((id) => id.startsWith(prefix))
  ) {
    return resolveIdPrefix(prefix, ids, "checkpoint");
  }
  const named = scanCheckpoints(paths).checkpoints;
  const exact = named.filter((cp) => cp.name === prefix);
  const matches = exact.length > 0
    ? exact
    : named.filter((cp) => cp.name.startsWith(prefix));
  if (matches.length === 1) return matches[0].id;
  if (matches.length > 1) {
    throw new MaosError(
      `checkpoint name '${prefix}' is ambiguous: ${
        matches.slice(0, 10).map((cp) => `${cp.id.slice(0, 8)} (${cp.name})`)
          .join(", ")
      }${matches.length > 10 ? ", …" : ""}`,
      ExitCode.usage,
      "give its id, or more of its name",
    );
  }
  if (/^[0-9a-f]+$/.test(prefix)) {
    return resolveIdPrefix(prefix, ids, "checkpoint"); // its usual errors
  }
  throw new MaosError(
    `checkpoint '${prefix}' not found (no id or name matches)`,
    ExitCode.usage,
    "list them with: maos recover list",
  );
}

/** All checkpoints, newest first. A corrupt file is an error naming it (exit 4). */
export function listCheckpoints(paths: MaosPaths): CheckpointFile[] {
  return sortNewestFirst(
    paths.listCheckpointIds().map((id) => readCheckpoint(paths, id)),
  );
}

/**
 * All checkpoints, newest first, plus the files that could not be read, so
 * one damaged file hides only itself. A file removed meanwhile (a prune in
 * another process) is simply not there.
 */
export function scanCheckpoints(paths: MaosPaths): CheckpointScan {
  const checkpoints: CheckpointFile[] = [];
  const damaged: DamagedCheckpoint[] = [];
  for (const id of paths.listCheckpointIds().sort()) {
    try {
      checkpoints.push(readCheckpoint(paths, id));
    } catch (err) {
      if (!(err instanceof MaosError)) throw err;
      if (err.code === ExitCode.usage) continue; // gone since the listing
      damaged.push({
        id,
        file: paths.checkpoint(id),
        error: err.message.replace(/\s*\n\s*/g, " "),
      });
    }
  }
  return { checkpoints: sortNewestFirst(checkpoints), damaged };
}

function sortNewestFirst(checkpoints: CheckpointFile[]): CheckpointFile[] {
  return checkpoints.sort((a, b) =>
    b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)
  );
}

export function deleteCheckpoint(paths: MaosPaths, id: string): void {
  try {
    fs.unlinkSync(paths.checkpoint(id));
    fsyncDir(paths.checkpoints);
  } catch (err) {
    if (errnoCode(err) !== "ENOENT") throw diskError(err, paths.checkpoint(id));
  }
}

/**
 * Keep the newest `keep` auto-checkpoints of one orchestration; manual ones
 * stay. A damaged file is skipped, never deleted: it runs after every
 * completed task, and one bad file must not stop auto-checkpoints.
 */
export function pruneAutoCheckpoints(
  paths: MaosPaths,
  orchestrationId: string,
  keep: number,
): string[] {
  const autos = scanCheckpoints(paths).checkpoints.filter((cp) =>
    cp.auto && cp.orchestrations.length === 1 &&
    cp.orchestrations[0].id === orchestrationId
  );
  const removed = autos.slice(keep).map((cp) => cp.id);
  for (const id of removed) deleteCheckpoint(paths, id);
  return removed;
}
