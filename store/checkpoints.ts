import * as fs from "node:fs";
import { Low } from "lowdb";
import { ensureDir, fsyncDir } from "./atomic_write.ts";
import { diskError, errnoCode, usageError } from "./errors.ts";
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

/** Write a checkpoint file (full snapshots at their seq) through lowdb's durable adapter. */
export async function writeCheckpoint(
  paths: MaosPaths,
  input: CheckpointInput,
): Promise<CheckpointFile> {
  ensureDir(paths.checkpoints);
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
  const db = new Low(
    new DurableJsonFile(paths.checkpoint(checkpoint.id), CheckpointFileSchema),
    checkpoint,
  );
  await db.write();
  return checkpoint;
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
export function resolveCheckpointId(paths: MaosPaths, prefix: string): string {
  return resolveIdPrefix(prefix, paths.listCheckpointIds(), "checkpoint");
}

/** All checkpoints, newest first. A corrupt file is an error naming it (exit 4). */
export function listCheckpoints(paths: MaosPaths): CheckpointFile[] {
  return paths.listCheckpointIds()
    .map((id) => readCheckpoint(paths, id))
    .sort((a, b) =>
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

/** Keep the newest `keep` auto-checkpoints of one orchestration; manual ones stay. */
export function pruneAutoCheckpoints(
  paths: MaosPaths,
  orchestrationId: string,
  keep: number,
): string[] {
  const autos = listCheckpoints(paths).filter((cp) =>
    cp.auto && cp.orchestrations.length === 1 &&
    cp.orchestrations[0].id === orchestrationId
  );
  const removed = autos.slice(keep).map((cp) => cp.id);
  for (const id of removed) deleteCheckpoint(paths, id);
  return removed;
}
