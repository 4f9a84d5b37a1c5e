/**
 * What `maos recover list` shows: one summary row per checkpoint, newest
 * first, and the damaged files that had to be left out.
 *
 * @module
 */

import {
  type DamagedCheckpoint,
  scanCheckpoints,
} from "../../store/checkpoints.ts";
import { resolveIdPrefix } from "../../store/ids.ts";
import type { MaosPaths } from "../../store/paths.ts";
import type { CheckpointFile } from "../../store/schema.ts";

export type { DamagedCheckpoint };

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

export interface CheckpointListing {
  /** Newest first. */
  checkpoints: CheckpointSummary[];
  /** Files that could not be read: not listed, whatever the filter. */
  damaged: DamagedCheckpoint[];
}

/**
 * Checkpoints, newest first, optionally of one orchestration (id or
 * prefix). A damaged file hides only itself: it is returned in `damaged`.
 *
 * @example
 * const { checkpoints, damaged } = listCheckpointSummaries(paths, { limit: 5 });
 */
export function listCheckpointSummaries(
  paths: MaosPaths,
  options: { orchestrationId?: string; limit?: number } = {},
): CheckpointListing {
  const scan = scanCheckpoints(paths);
  let rows = scan.checkpoints.map(summarizeCheckpoint);
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
  return {
    checkpoints: options.limit === undefined
      ? rows
      : rows.slice(0, options.limit),
    damaged: scan.damaged,
  };
}
