/**
 * The `shell` driver (DESIGN.md §4): runs the task's `run` command, written by
 * the plan's author, under `/bin/sh -c` in the working directory. Works
 * offline; stdout lines are output, `::maos::` lines messages and progress.
 */
import process from "node:process";
import type { AgentDriver, TaskResult, TaskRun } from "./driver.ts";
import { runAgentProcess } from "./agent_process.ts";
import { writeTurnFiles } from "./turn_files.ts";
import { forwardLines, outcomeOf } from "./process_outcome.ts";

/** Options of the shell driver. */
export interface ShellDriverOptions {
  /** Time between a stop request and SIGKILL; default 10 s. */
  graceMs?: number;
}

/**
 * Run tasks' `run` commands. The command sees maos's environment plus the
 * task's (MAOS_DIR, MAOS_AGENT_ID …), MAOS_PROMPT_FILE and MAOS_INBOX_FILE
 * (the whole prompt, and its messages one per line), and MAOS_PROMPT and
 * MAOS_INBOX (the same, cut when long: see turn_files.ts).
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
    const files = writeTurnFiles(run);
    let exit;
    try {
      exit = await runAgentProcess({
        command: "/bin/sh",
        args: ["-c", script],
        cwd: run.cwd,
        env: { ...process.env, ...run.env, ...files.env },
        onLine: lines.onLine,
        // Saved and shown like stdout (never read as ::maos:: lines): why a command failed is there.
        onStderrLine: (line) => run.emit({ type: "output", line }),
        onProcess: run.onProcess,
        stop: run.stop,
        kill: run.kill,
        graceMs: this.options.graceMs,
      });
    } finally {
      files.remove();
    }
    if (exit.spawnError) {
      return { status: "failed", summary: exit.spawnError.message };
    }
    return outcomeOf(exit, lines.lastOutput());
  }
}
