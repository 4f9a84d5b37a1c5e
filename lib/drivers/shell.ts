/**
 * The `shell` driver (DESIGN.md §4): runs the task's `run` command, written by
 * the plan's author, under `/bin/sh -c` in the working directory. Works
 * offline; stdout lines are output, `::maos::` lines messages and progress.
 */
import process from "node:process";
import type { AgentDriver, TaskResult, TaskRun } from "./driver.ts";
import { runAgentProcess } from "./agent_process.ts";
import { buildPrompt, formatInbox } from "./prompt.ts";
import { forwardLines, outcomeOf } from "./process_outcome.ts";

/** Options of the shell driver. */
export interface ShellDriverOptions {
  /** Time between a stop request and SIGKILL; default 10 s. */
  graceMs?: number;
}

/**
 * Run tasks' `run` commands. The command sees maos's environment plus the
 * task's (MAOS_DIR, MAOS_AGENT_ID …), MAOS_PROMPT (the full prompt) and
 * MAOS_INBOX (its messages, one per line).
 *
 * @example
 * const result = await new ShellDriver().run(taskRun);
 */
export class ShellDriver implements AgentDriver {
  readonly name = "shell";
  readonly simulated = false;

  constructor(private readonly options: ShellDriverOptions = {}) {}

  async run(run: TaskRun): Promise<TaskResult> {
    const script = run.task.run?.trim();
    if (!script) {
      return {
        status: "failed",
        summary:
          `task ${run.task.id} has no \`run\` command; the shell driver runs a task's \`run\``,
      };
    }
    const lines = forwardLines(run.emit);
    const exit = await runAgentProcess({
      command: "/bin/sh",
      args: ["-c", script],
      cwd: run.cwd,
      env: {
        ...process.env,
        ...run.env,
        MAOS_PROMPT: buildPrompt(run, { includeRole: true }),
        MAOS_INBOX: formatInbox(run.inbox),
      },
      onLine: lines.onLine,
      // Saved and shown like stdout (never read as ::maos:: lines): why a command failed is there.
      onStderrLine: (line) => run.emit({ type: "output", line }),
      onProcess: run.onProcess,
      stop: run.stop,
      kill: run.kill,
      graceMs: this.options.graceMs,
    });
    if (exit.spawnError) {
      return { status: "failed", summary: exit.spawnError.message };
    }
    return outcomeOf(exit, lines.lastOutput());
  }
}
