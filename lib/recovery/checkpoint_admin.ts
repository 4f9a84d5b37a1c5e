/**
 * Manage checkpoint files: show what one holds, delete, export and import.
 *
 * @module
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../../store/atomic_write.ts";
import {
  deleteCheckpoint as removeCheckpointFile,
  readCheckpoint,
  resolveCheckpointId,
  scanCheckpoints,
  storeCheckpoint,
} from "../../store/checkpoints.ts";
import {
  corruptError,
  ExitCode,
  MaosError,
  usageError,
} from "../../store/errors.ts";
import { loadOrchestration } from "../../store/journal.ts";
import { parseJsonFile, toJsonText } from "../../store/json_file.ts";
import type { MaosPaths } from "../../store/paths.ts";
import {
  type CheckpointFile,
  CheckpointFileSchema,
  type WorkStatus,
} from "../../store/schema.ts";
import {
  type CheckpointSummary,
  summarizeCheckpoint,
} from "./checkpoint_list.ts";
import { readInputText, writableTarget } from "./file_args.ts";
import { foldEvent } from "../queries/state_fold.ts";
import { EXPORT_KIND } from "./transfer.ts";

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

/** A deleted checkpoint: its summary, or for a damaged file what was wrong with it. */
export type DeletedCheckpoint =
  | CheckpointSummary
  | { id: string; damaged: string };

/**
 * Delete one checkpoint (id or prefix). A damaged file can be deleted too:
 * it is what `recover list` suggests for one.
 */
export function deleteCheckpoint(
  paths: MaosPaths,
  prefix: string,
): DeletedCheckpoint {
  const id = resolveCheckpointId(paths, prefix);
  let deleted: DeletedCheckpoint;
  try {
    deleted = summarizeCheckpoint(readCheckpoint(paths, id));
  } catch (err) {
    if (!(err instanceof MaosError && err.code === ExitCode.corrupt)) throw err;
    deleted = { id, damaged: err.message };
  }
  removeCheckpointFile(paths, id);
  return deleted;
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

export interface ImportedCheckpoint {
  checkpoint: CheckpointSummary;
  file: string;
  /** Another checkpoint here already has this name (the import is kept under its id). */
  sameNameAs?: string;
}

/**
 * Bring back a checkpoint written by `exportCheckpoint`. The file is
 * checked whole with the checkpoint schema first: a damaged one is exit 4
 * and an id already present exit 2, and neither writes anything. The
 * checkpoint keeps its id and is written through the durable atomic path.
 */
export async function importCheckpoint(
  paths: MaosPaths,
  file: string,
  cwd: string,
): Promise<ImportedCheckpoint> {
  const source = path.resolve(cwd, file);
  const cp = parseCheckpointExport(source, readInputText(source));
  const present = () => {
    if (fs.existsSync(paths.checkpoint(cp.id))) {
      throw usageError(
        `checkpoint ${cp.id} is already present (${paths.checkpoint(cp.id)})`,
        "nothing was changed; it was probably imported before. " +
          `Replace it by deleting it first: maos recover delete ${
            cp.id.slice(0, 8)
          }`,
      );
    }
  };
  present();
  const sameName = scanCheckpoints(paths).checkpoints.find((other) =>
    other.name === cp.name
  );
  present(); // the scan took a while: look again right before writing
  await storeCheckpoint(paths, cp);
  return {
    checkpoint: summarizeCheckpoint(cp),
    file: source,
    ...(sameName ? { sameNameAs: sameName.id } : {}),
  };
}

const CHECKPOINT_KEYS = ["formatVersion", "id", "auto", "orchestrations"];

function parseCheckpointExport(source: string, text: string): CheckpointFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch { /* a cut file: reported below, by parseJsonFile */ }
  if (raw !== undefined) {
    const top = raw && typeof raw === "object" && !Array.isArray(raw)
      ? raw as Record<string, unknown>
      : {};
    if (top.kind === EXPORT_KIND) {
      throw usageError(
        `${source} is an orchestration export, not a checkpoint`,
        `import it with: maos orchestration import ${path.basename(source)}`,
      );
    }
    // Some other JSON file (a plan, a config) was given, not a damaged checkpoint.
    if (!CHECKPOINT_KEYS.some((key) => key in top)) {
      throw usageError(
        `${source} is not a maos checkpoint`,
        "make one with: maos recover export ID FILE",
      );
    }
  }
  try {
    return parseJsonFile(source, text, CheckpointFileSchema);
  } catch (err) {
    // A newer format keeps its "upgrade maos" hint; for the rest, the store's
    // hint points at `maos doctor`, which does not look outside .maos/.
    if (
      !(err instanceof MaosError) || err.code !== ExitCode.corrupt ||
      err.message.includes("newer maos")
    ) {
      throw err;
    }
    throw corruptError(
      err.message,
      "nothing was imported; export it again with: maos recover export ID FILE",
    );
  }
}
