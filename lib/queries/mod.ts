/**
 * The read side: what `list`, `status`, `message list` and `agent list`
 * show, and which orchestration a command means. Nothing here takes
 * run.lock, so reading never disturbs a run. state_fold.ts is the one fold
 * of events into state, used by readers and the engine alike. Read
 * queries.ts, then state_fold.ts.
 *
 * @module
 */
export { listOrchestrations, orchestrationStatus } from "./queries.ts";
export { foldEvent } from "./state_fold.ts";
export { chooseOrchestration, chooseResumable } from "./choose.ts";
export { listMessages } from "./messages.ts";
