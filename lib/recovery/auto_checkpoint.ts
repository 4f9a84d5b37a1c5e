import {
  pruneAutoCheckpoints,
  scanCheckpoints,
  writeCheckpoint,
} from "../../store/checkpoints.ts";
import type { MaosPaths } from "../../store/paths.ts";
import type { CheckpointFile, OrchestrationState } from "../../store/schema.ts";

/**
 * The checkpoint written when a task completes, named
 * `auto-<first 8 of id>-<HHMMSS>` (`-2`, `-3` … when that second has
 * one already, so a name finds one checkpoint); only the newest `keep` of an
 * orchestration's auto-checkpoints are kept (manual ones stay).
 */
export function writeAutoCheckpoint(
  paths: MaosPaths,
  state: OrchestrationState,
  keep: number,
  now = new Date(),
): Promise<CheckpointFile> {
  // One at a time: tasks ending together must not both pick a free name.
  const next = queue.then(() => writeNow(paths, state, keep, now));
  queue = next.catch(() => {});
  return next;
}

let queue: Promise<unknown> = Promise.resolve();

async function writeNow(
  paths: MaosPaths,
  state: OrchestrationState,
  keep: number,
  now: Date,
): Promise<CheckpointFile> {
  const time = now.toISOString().slice(11, 19).replaceAll(":", "");
  const base = `auto-${state.id.slice(0, 8)}-${time}`;
  const taken = new Set(scanCheckpoints(paths).checkpoints.map((c) => c.name));
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  const checkpoint = await writeCheckpoint(paths, {
    name,
    auto: true,
    states: [state],
  });
  pruneAutoCheckpoints(paths, state.id, keep);
  return checkpoint;
}
