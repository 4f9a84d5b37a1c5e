/**
 * What happens when one task's turn ends: its status is recorded (paused,
 * completed or failed), its agent settled, its files committed for the
 * tasks that depend on it, and a completed task leaves an auto-checkpoint.
 *
 * @module
 */
import { errorText } from "../../store/errors.ts";
import type { Journal } from "../../store/journal.ts";
import type {
  Config,
  MaosEvent,
  NewEvent,
  TaskState,
  WorkStatus,
} from "../../store/schema.ts";
import type { TaskResult } from "../drivers/driver.ts";
import { withoutMaosLines } from "../drivers/maos_lines.ts";
import { scanCheckpoints, writeCheckpoint } from "../../store/checkpoints.ts";
import { writeAutoCheckpoint } from "../recovery/auto_checkpoint.ts";
import type { FilesSaver } from "../workspace/files_save.ts";
import { resumeNoteFrom } from "./agent_output.ts";
import type { AutoSaver } from "./auto_save.ts";
import type { RunReporter } from "./run_options.ts";

export interface TaskEndContext {
  journal: Journal;
  config: Config;
  reporter: RunReporter;
  saver: AutoSaver;
  files: FilesSaver | undefined;
  record(event: NewEvent): MaosEvent;
  pausing(): boolean;
  /** Agents whose tasks are still running (their files are saved at a checkpoint). */
  runningAgents(): string[];
}

export async function endTask(
  ctx: TaskEndContext,
  task: TaskState,
  result: TaskResult,
  lastLines: string[],
): Promise<void> {
  if (
    result.status === "stopped" ||
    (ctx.pausing() && result.status === "failed")
  ) {
    ctx.record({
      type: "task.status",
      task: task.id,
      status: "paused",
      summary: "paused",
      resumeNote: resumeNoteFrom(lastLines, task.resumeNote),
    });
    ctx.record({ type: "agent.status", agent: task.agent, status: "paused" });
    await ctx.files?.taskEnded(task, "paused");
    return;
  }
  // Committed before the task counts as done: a dependant merges it.
  await ctx.files?.taskEnded(task, result.status);
  ctx.record({
    type: "task.status",
    task: task.id,
    status: result.status,
    // Messages and progress were delivered as such; a summary shows neither.
    summary: withoutMaosLines(result.summary) ||
      (result.status === "completed" ? "done" : "failed"),
  });
  settleAgent(ctx, task.agent);
  if (result.status === "completed") await autoCheckpoint(ctx);
  // Asked for, not waited for: when this was the last task, the final
  // save joins it and one snapshot is written instead of two.
  void ctx.saver.save();
}

/** After an agent's task ends: running again later, or done. */
export function settleAgent(
  ctx: Pick<TaskEndContext, "journal" | "record">,
  agentId: string,
): void {
  const state = ctx.journal.state;
  const tasks = state.tasks.filter((t) => t.agent === agentId);
  const open = tasks.some((t) =>
    t.status !== "completed" && t.status !== "failed"
  );
  const status: WorkStatus = open
    ? "pending"
    : tasks.some((t) => t.status === "failed")
    ? "failed"
    : "completed";
  const agent = state.agents.find((a) => a.id === agentId);
  if (agent && agent.status !== status) {
    ctx.record({ type: "agent.status", agent: agentId, status });
  }
}

async function autoCheckpoint(ctx: TaskEndContext): Promise<void> {
  // The checkpoint names every agent's files as they are now.
  await ctx.files?.save(ctx.runningAgents(), "checkpoint");
  try {
    const checkpoint = await writeAutoCheckpoint(
      ctx.journal.paths,
      ctx.journal.state,
      ctx.config.checkpoints.keepAuto,
    );
    ctx.record({
      type: "checkpoint.created",
      checkpoint: checkpoint.id,
      name: checkpoint.name,
      auto: true,
    });
  } catch (err) {
    ctx.reporter.warn(`auto-checkpoint failed: ${errorText(err)}`);
  }
}

/**
 * A checkpoint someone asked for through the inbox while this run drives
 * the orchestration: every agent's files saved now (not the last interval
 * save), the checkpoint written, and `checkpoint.created` logged with the
 * request's inbox offset, so it is taken once.
 */
export async function requestedCheckpoint(
  ctx: TaskEndContext,
  name: string,
  inboxEnd: number,
): Promise<void> {
  // Already taken (the asker gave up waiting and took it itself): once is enough.
  const taken = scanCheckpoints(ctx.journal.paths).checkpoints;
  if (taken.some((c) => c.name === name)) return;
  await ctx.files?.save(
    ctx.journal.state.agents.map((a) => a.id),
    "checkpoint",
  );
  try {
    const checkpoint = await writeCheckpoint(ctx.journal.paths, {
      name,
      auto: false,
      states: [ctx.journal.state],
    });
    ctx.record({
      type: "checkpoint.created",
      checkpoint: checkpoint.id,
      name,
      auto: false,
      inboxEnd,
    });
  } catch (err) {
    ctx.reporter.warn(`checkpoint '${name}' failed: ${errorText(err)}`);
  }
}
