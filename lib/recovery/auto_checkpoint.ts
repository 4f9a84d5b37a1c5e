import {
  pruneAutoCheckpoints,
  writeCheckpoint,
} from "../../store/checkpoints.ts";
import type { MaosPaths } from "../../store/paths.ts";
import type { CheckpointFile, OrchestrationState } from "../../store/schema.ts";

/**
 * The checkpoint written when a task completes, named
 * `auto-<first 8 of id>-<HHMMSS>`; only the newest `keep` of an
 * orchestration's auto-checkpoints are kept (manual ones stay).
 */
export async function writeAutoCheckpoint(
  paths: MaosPaths,
  state: OrchestrationState,
  keep: number,
  now = new Date(),
): Promise<CheckpointFile> {
  const time = now.toISOString().slice(11, 19).replaceAll(":", "");
  const checkpoint = await writeCheckpoint(paths, {
    name: `auto-${state.id.slice(0, 8)}-${time}`,
    auto: true,
    states: [state],
  });
  pruneAutoCheckpoints(paths, state.id, keep);
  return checkpoint;
}
