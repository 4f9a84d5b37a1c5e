/**
 * The engine room: one run of an orchestration. `orchestrate` plans and
 * starts one, `resume` continues one; both hand it to the run loop
 * (run.ts), which starts tasks on drivers as their dependencies finish,
 * records everything they report the moment it arrives, saves as it goes,
 * and pauses cleanly on a signal. Read orchestrator.ts, then run.ts,
 * task_end.ts and run_end.ts. Budgets (budget_guard.ts) and bounded waits
 * (turn_watch.ts) are the run's, so every driver gets them.
 *
 * Recovery, worktrees and the read side are rooms of their own
 * (lib/recovery, lib/workspace, lib/queries); a new job gets its own room
 * rather than swelling this one.
 *
 * @module
 */
export { orchestrate, resume } from "./orchestrator.ts";
export { OrchestrationRun } from "./run.ts";
