/**
 * The recovery room: going back and moving on. Checkpoints (taken by hand,
 * or automatically when a task completes), restore (rewind an orchestration
 * to a checkpoint, or fork a new one from it), and export/import of an
 * orchestration as one portable file. Read checkpoint_take.ts (what a
 * checkpoint holds), restore.ts, then transfer.ts.
 *
 * @module
 */
export { checkpointOrchestrations } from "./checkpoint_take.ts";
export { restoreCheckpoint } from "./restore.ts";
export { exportOrchestration, importOrchestration } from "./transfer.ts";
