/**
 * The end of a foreground run: the orchestration is recorded as paused,
 * completed or failed, the final snapshot written, and a pause says how to
 * resume.
 *
 * @module
 */
import type { Journal } from "../../store/journal.ts";
import type { MaosEvent, NewEvent } from "../../store/schema.ts";
import type { AutoSaver } from "./auto_save.ts";
import type { RunOutcome, RunReporter } from "./run_options.ts";
import { finalStatus } from "./scheduler.ts";

export interface RunEndContext {
  journal: Journal;
  reporter: RunReporter;
  saver: AutoSaver;
  record(event: NewEvent): MaosEvent;
  pausing: boolean;
  forced: boolean;
  /** An auto-save that failed during the run: the run's result must not hide it. */
  saveError: unknown;
}

export async function endRun(ctx: RunEndContext): Promise<RunOutcome> {
  const { journal, reporter } = ctx;
  if (ctx.pausing) {
    const paused = journal.state.agents.filter((a) => a.status === "paused")
      .length;
    ctx.record({
      type: "orchestration.paused",
      reason: ctx.forced ? "forced stop" : "signal",
    });
    await ctx.saver.save();
    reporter.line(
      `⏸️ Orchestration paused. Resume with: maos orchestration resume ${
        journal.id.slice(0, 8)
      }`,
    );
    reporter.line(
      `💾 State saved. ${counted(paused, "agent")} paused, ${
        counted(journal.state.messages, "message")
      } preserved.`,
    );
    return "paused";
  }
  const status = finalStatus(journal.state);
  if (status === "completed") {
    ctx.record({ type: "orchestration.completed" });
  } else {
    const failed = journal.state.tasks.filter((t) => t.status === "failed")
      .map((t) => t.id);
    ctx.record({
      type: "orchestration.failed",
      reason: `failed tasks: ${failed.join(", ")}`,
    });
  }
  await ctx.saver.save();
  if (ctx.saveError) throw ctx.saveError;
  return status;
}

/** `1 agent`, `2 agents` (the engine's own lines; lib/ui is the CLI's). */
function counted(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
