/**
 * `maos recover cleanup`: delete old checkpoints. Manual checkpoints are
 * kept until deleted (DESIGN.md §3), so only auto-checkpoints go unless
 * the caller includes the manual ones explicitly.
 *
 * @module
 */

import {
  type DamagedCheckpoint,
  deleteCheckpoint as removeCheckpointFile,
  scanCheckpoints,
} from "../../store/checkpoints.ts";
import { loadConfig } from "../../store/config.ts";
import { usageError } from "../../store/errors.ts";
import type { MaosPaths } from "../../store/paths.ts";
import type { CheckpointFile } from "../../store/schema.ts";
import {
  type CheckpointSummary,
  summarizeCheckpoint,
} from "./checkpoint_list.ts";

export interface CleanupOptions {
  /** Keep the newest `keep` checkpoints (of those cleanup may delete). */
  keep?: number;
  /** Remove checkpoints older than this many days. */
  olderThanDays?: number;
  /** Manual checkpoints may go too (only with `keep` or `olderThanDays`). */
  includeManual?: boolean;
  dryRun?: boolean;
  now?: Date;
}

export interface CleanupResult {
  /** What was (or, in a dry run, would be) deleted, newest first. */
  removed: CheckpointSummary[];
  /** Manual checkpoints that `keep`/`olderThanDays` matched but that stayed. */
  manualKept: number;
  /** Files that could not be read: never deleted by cleanup. */
  damaged: DamagedCheckpoint[];
}

/**
 * Remove auto-checkpoints (and manual ones with `includeManual`). With
 * `keep` and `olderThanDays` together, a checkpoint goes only when it is
 * outside the newest `keep` and older than the age. With neither, the
 * auto-checkpoint retention of maos.json is applied per orchestration.
 *
 * @example
 * const { removed, manualKept } = await cleanup(paths, { keep: 10, dryRun: true });
 */
export async function cleanup(
  paths: MaosPaths,
  options: CleanupOptions,
): Promise<CleanupResult> {
  const byAge = options.keep !== undefined ||
    options.olderThanDays !== undefined;
  if (options.includeManual && !byAge) {
    throw usageError(
      "--include-manual needs --keep or --older-than",
      "e.g. maos recover cleanup --older-than 30 --include-manual --dry-run",
    );
  }
  const { checkpoints: all, damaged } = scanCheckpoints(paths);
  let doomed: CheckpointFile[];
  let manualKept = 0;
  if (byAge) {
    doomed = selectByAge(
      options.includeManual ? all : all.filter((cp) => cp.auto),
      options,
    );
    if (!options.includeManual) {
      manualKept = selectByAge(all, options).filter((cp) => !cp.auto).length;
    }
  } else {
    doomed = beyondRetention(all, (await loadConfig(paths)).checkpoints);
  }
  if (!options.dryRun) {
    for (const cp of doomed) removeCheckpointFile(paths, cp.id);
  }
  return { removed: doomed.map(summarizeCheckpoint), manualKept, damaged };
}

/** Outside the newest `keep` of `candidates` (newest first) and older than the age. */
function selectByAge(
  candidates: CheckpointFile[],
  options: CleanupOptions,
): CheckpointFile[] {
  const cutoff = options.olderThanDays === undefined
    ? Infinity
    : (options.now ?? new Date()).getTime() -
      options.olderThanDays * 86_400_000;
  return candidates.filter((cp, index) =>
    index >= (options.keep ?? 0) && Date.parse(cp.createdAt) < cutoff
  );
}

/** The auto-checkpoints of each orchestration past the newest `keepAuto`. */
function beyondRetention(
  all: CheckpointFile[],
  retention: { keepAuto: number },
): CheckpointFile[] {
  const seen = new Map<string, number>();
  return all.filter((cp) => {
    if (!cp.auto || cp.orchestrations.length !== 1) return false;
    const id = cp.orchestrations[0].id;
    const rank = (seen.get(id) ?? 0) + 1;
    seen.set(id, rank);
    return rank > retention.keepAuto;
  });
}
