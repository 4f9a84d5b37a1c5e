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
import { describeCall } from "../approvals/rules.ts";
import { budgetReachedLine } from "./budget_guard.ts";

export interface RunEndContext {
  journal: Journal;
  reporter: RunReporter;
  saver: AutoSaver;
  record(event: NewEvent): MaosEvent;
  pausing: boolean;
  forced: boolean;
  /** The pause came from the budget (exit 5). */
  budget: boolean;
  /** An auto-save that failed during the run: the run's result must not hide it. */
  saveError: unknown;
}

export async function endRun(ctx: RunEndContext): Promise<RunOutcome> {
  const { journal, reporter } = ctx;
  // The budget reached by the last task's own cost leaves nothing to pause.
  const nothingLeft = journal.state.tasks.every((t) =>
    t.status === "completed" || t.status === "failed"
  );
  if (ctx.pausing && !(ctx.budget && nothingLeft)) {
    const paused = journal.state.agents.filter((a) => a.status === "paused")
      .length;
    ctx.record({
      type: "orchestration.paused",
      reason: ctx.budget ? "budget" : ctx.forced ? "forced stop" : "signal",
    });
    await ctx.saver.save();
    if (ctx.budget) {
      reporter.line(budgetReachedLine(journal.state));
    } else {
      reporter.line(
        `⏸️ Orchestration paused. Resume with: maos orchestration resume ${
          journal.id.slice(0, 8)
        }`,
      );
    }
    reporter.line(
      `💾 State saved. ${counted(paused, "agent")} paused, ${
        counted(journal.state.messages, "message")
      } preserved.`,
    );
    return ctx.budget ? "budget" : "paused";
  }
  const waiting = (journal.state.approvals ?? []).filter((a) =>
    a.status === "pending" &&
    journal.state.tasks.some((t) => t.id === a.task && t.status !== "completed")
  );
  if (waiting.length > 0) {
    // Nothing else can run: pause until a person answers (exit 130).
    ctx.record({
      type: "orchestration.paused",
      reason: "waiting for approval",
    });
    await ctx.saver.save();
    const id8 = journal.id.slice(0, 8);
    for (const line of waitingLines(waiting, id8)) reporter.line(line);
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
    // A turn stopped at its time limit is worth another try, in its session.
    if (
      journal.state.tasks.some((t) =>
        t.status === "failed" && t.summary?.includes("(turnTimeoutSeconds)")
      )
    ) {
      reporter.line(
        `⏱️ A turn ran out of time. Run the failed tasks again with: maos orchestration resume ${
          journal.id.slice(0, 8)
        }`,
      );
    }
  }
  await ctx.saver.save();
  if (ctx.saveError) throw ctx.saveError;
  return status;
}

/** What a pause for approvals prints: each request, how to answer, how to go on. */
function waitingLines(
  waiting: {
    n: number;
    agent: string;
    tool: string;
    input: Record<string, unknown>;
  }[],
  id8: string,
): string[] {
  return [
    `✋ Orchestration paused: ${
      waiting.length === 1 ? "an agent waits" : "agents wait"
    } for approval.`,
    ...waiting.map((a) =>
      `   #${a.n} [${a.agent}] ${
        describeCall(a)
      } — maos approval grant ${id8} ${a.n}  (or: maos approval deny ${id8} ${a.n} --reason "…")`
    ),
    `⏸️ Then resume with: maos orchestration resume ${id8}`,
  ];
}

/** `1 agent`, `2 agents` (the engine's own lines; lib/ui is the CLI's). */
function counted(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
