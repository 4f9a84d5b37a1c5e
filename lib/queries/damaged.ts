/**
 * One damaged orchestration stays one: `orchestration list` shows it as a
 * `damaged` row (with what is wrong and the doctor hint) and lists the
 * others, instead of failing for all. Commands about that orchestration
 * still fail with exit 4 (DESIGN.md §2).
 *
 * @module
 */

import * as fs from "node:fs";
import { ExitCode, MaosError } from "../../store/errors.ts";
import type { MaosPaths } from "../../store/paths.ts";
import { readSnapshotSummary } from "../../store/snapshot_summary.ts";
import type { OrchestrationSummary } from "./queries.ts";
import { listRow } from "./list_row.ts";

/** What to run about a damaged orchestration. */
export const DAMAGED_HINT = "see: maos doctor";

/** Whether `err` is corrupt data found (exit 4), as opposed to any other failure. */
export function isCorrupt(err: unknown): err is MaosError {
  return err instanceof MaosError && err.code === ExitCode.corrupt;
}

/** The row of an orchestration whose files could not be read: what is known of it. */
export function damagedRow(
  paths: MaosPaths,
  id: string,
  err: MaosError,
): OrchestrationSummary {
  let known: Partial<OrchestrationSummary> = {};
  try {
    const state = readSnapshotSummary(paths, id)?.state;
    if (state) known = listRow(state, "damaged");
  } catch { /* the snapshot is damaged too: the log's time stands in */ }
  let modified = new Date(0).toISOString();
  try {
    modified = fs.statSync(paths.events(id)).mtime.toISOString();
  } catch { /* no log either */ }
  return {
    id,
    request: "",
    agents: 0,
    messages: 0,
    cost: 0,
    inputTokens: 0,
    outputTokens: 0,
    createdAt: modified,
    updatedAt: modified,
    ...known,
    status: "damaged",
    damage: err.message,
    hint: DAMAGED_HINT,
  };
}
