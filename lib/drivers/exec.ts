/**
 * The `exec` driver (DESIGN.md §4): any agent CLI (aider, codex, gemini, llm …)
 * from an argv template in maos.json. The prompt goes on stdin or replaces
 * `{prompt}` inside an argument — never through a shell string, so nothing in
 * a prompt can run as a command.
 */
import process from "node:process";
import { ExitCode, MaosError, usageError } from "../../store/errors.ts";
import type { AgentDriver, TaskResult, TaskRun } from "./driver.ts";
import { runAgentProcess } from "./agent_process.ts";
import { Buffer } from "node:buffer";
import { buildPrompt } from "./prompt.ts";
// The same bound the claude driver uses before it moves a prompt to stdin.
import { MAX_ARGV_PROMPT_BYTES } from "./claude.ts";
import { forwardLines, outcomeOf } from "./process_outcome.ts";

/** The placeholder replaced by the prompt inside an argument. */
export const PROMPT_PLACEHOLDER = "{prompt}";

/** Options of the exec driver (maos.json `drivers.exec`). */
export interface ExecDriverOptions {
  /** argv: the program, then its arguments; `{prompt}` may appear inside arguments. */
  command: string[];
  /**
   * Where the prompt goes. Default: "arg" when an argument holds `{prompt}`,
   * else "stdin".
   */
  promptVia?: "stdin" | "arg";
  /** Time between a stop request and SIGKILL; default 10 s. */
  graceMs?: number;
}

/**
 * Run an agent CLI per task. The constructor checks the template (usage
 * error, exit 2); `run()` rejects with a MaosError naming the program when it
 * is not installed.
 *
 * @example
 * const aider = new ExecDriver({ command: ["aider", "--yes", "--message", "{prompt}"] });
 * const result = await aider.run(taskRun);
 */
export class ExecDriver implements AgentDriver {
  readonly name = "exec";
  readonly simulated = false;
  readonly #command: string[];
  readonly #promptVia: "stdin" | "arg";

  constructor(private readonly options: ExecDriverOptions) {
    const command = options?.command;
    if (
      !Array.isArray(command) || command.length === 0 ||
      !command.every((a) => typeof a === "string") || command[0] === ""
    ) {
      throw usageError(
        "exec driver: `command` must be a non-empty list of strings",
        'set drivers.exec.command in maos.json, e.g. ["aider", "--yes", "--message", "{prompt}"]',
      );
    }
    const hasPlaceholder = command.slice(1).some((a) =>
      a.includes(PROMPT_PLACEHOLDER)
    );
    const via = options.promptVia ?? (hasPlaceholder ? "arg" : "stdin");
    if (via !== "stdin" && via !== "arg") {
      throw usageError(
        `exec driver: promptVia must be "stdin" or "arg", not ${
          JSON.stringify(via)
        }`,
      );
    }
    if (via === "arg" && !hasPlaceholder) {
      throw usageError(
        `exec driver: promptVia "arg" needs an argument containing ${PROMPT_PLACEHOLDER}`,
        `e.g. ["llm", "${PROMPT_PLACEHOLDER}"], or use promptVia "stdin"`,
      );
    }
    this.#command = [...command];
    this.#promptVia = via;
  }

  /** The program the template runs (its first element). */
  get program(): string {
    return this.#command[0];
  }

  async run(run: TaskRun): Promise<TaskResult> {
    const prompt = buildPrompt(run, { includeRole: true });
    const bytes = Buffer.byteLength(prompt);
    if (this.#promptVia === "arg" && bytes > MAX_ARGV_PROMPT_BYTES) {
      // Spawning would fail with a bare E2BIG: say why, and what works.
      return {
        status: "failed",
        summary:
          `the prompt is ${bytes} bytes, too long for an argument (one may not pass 128 KiB); ` +
          `if the agent CLI reads a prompt on stdin, set drivers.exec.promptVia to "stdin" in maos.json`,
      };
    }
    const [program, ...args] = execArgv(this.#command, prompt);
    const lines = forwardLines(run.emit);
    const exit = await runAgentProcess({
      command: program,
      args,
      stdin: this.#promptVia === "stdin" ? prompt : undefined,
      cwd: run.cwd,
      env: { ...process.env, ...run.env },
      onLine: lines.onLine,
      onProcess: run.onProcess,
      stop: run.stop,
      kill: run.kill,
      graceMs: this.options.graceMs,
    });
    if (exit.spawnError?.what === "command") {
      if (exit.spawnError.code === "ENOENT") throw execNotFound(program);
      throw new MaosError(
        `cannot start agent command \`${program}\` (exec driver): ${exit.spawnError.message}`,
        ExitCode.failed,
        FIX_COMMAND,
      );
    }
    if (exit.spawnError) {
      return { status: "failed", summary: exit.spawnError.message };
    }
    return outcomeOf(exit, lines.lastOutput());
  }
}

const FIX_COMMAND = "install it, or fix drivers.exec.command in maos.json";

/**
 * The error for an exec agent program that is not there.
 *
 * @example
 * throw execNotFound("aider"); // "agent command `aider` not found (exec driver)"
 */
export function execNotFound(program: string): MaosError {
  return new MaosError(
    `agent command \`${program}\` not found (exec driver)`,
    ExitCode.failed,
    FIX_COMMAND,
  );
}

/**
 * The argv of one run: `{prompt}` replaced inside every argument (not the
 * program name), verbatim — no `$` patterns, no shell.
 *
 * @example
 * execArgv(["llm", "-m", "x", "--", "{prompt}"], "hi"); // ["llm", "-m", "x", "--", "hi"]
 */
export function execArgv(template: string[], prompt: string): string[] {
  return template.map((arg, i) =>
    i === 0 ? arg : arg.split(PROMPT_PLACEHOLDER).join(prompt)
  );
}
