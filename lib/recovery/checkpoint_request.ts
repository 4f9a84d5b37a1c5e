/**
 * A manual checkpoint of an orchestration another process runs: asked of
 * that process through the inbox, so the checkpoint holds the agents'
 * files as they are now (it saves them first) and its log records it —
 * the log belongs to the process that runs it. Waited for, within a bound.
 *
 * @module
 */
import { readCheckpoint } from "../../store/checkpoints.ts";
import { LOG_START, scanLog } from "../../store/event_log.ts";
import { appendInbox } from "../../store/inbox.ts";
import { readSnapshot } from "../../store/journal.ts";
import { inspectLock } from "../../store/lock.ts";
import type { MaosPaths } from "../../store/paths.ts";
import type { CheckpointFile } from "../../store/schema.ts";

/** How long the running process gets to answer (it saves every worktree first). */
export const ANSWER_TIMEOUT_MS = 20_000;
const POLL_MS = 100;

/**
 * Ask the process that runs `id` for a checkpoint named `name`; the
 * checkpoint it wrote, or null when it stopped or did not answer in time.
 */
export async function askRunningProcess(
  paths: MaosPaths,
  id: string,
  name: string,
  timeoutMs = ANSWER_TIMEOUT_MS,
): Promise<CheckpointFile | null> {
  // From where state.json ends: reading the log's tail is cheap.
  const snapshot = readSnapshot(paths, id);
  let cursor = snapshot
    ? { seq: snapshot.state.lastSeq, offset: snapshot.logOffset }
    : LOG_START;
  cursor = scanLog(paths.events(id), cursor, () => {}).end;
  appendInbox(paths, id, {
    at: new Date().toISOString(),
    from: "maos",
    kind: "checkpoint",
    name,
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const live = inspectLock(paths.lock(id)).state === "live";
    let taken: string | null = null;
    cursor = scanLog(paths.events(id), cursor, (event) => {
      if (event.type === "checkpoint.created" && event.name === name) {
        taken = event.checkpoint;
      }
    }).end;
    if (taken) return readCheckpoint(paths, taken);
    if (!live) return null;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return null;
}
