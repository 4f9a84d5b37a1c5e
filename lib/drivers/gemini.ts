/**
 * The `gemini` driver (DESIGN.md §4, the Gemini part of
 * shared/CLAUDE-PROTOCOL.md): runs `gemini -p PROMPT -o stream-json` with
 * stdin closed, in a home of its own per agent (gemini_home.ts), keeps the
 * `session_id` of the init line the moment it arrives, resumes with
 * `--resume SESSION`, and records tokens (the CLI reports no dollars; maos
 * prices them only with prices from maos.json).
 */
import { Buffer } from "node:buffer";
import process from "node:process";
import { ExitCode, MaosError } from "../../store/errors.ts";
import type { TokenPricing } from "../../store/schema.ts";
import type { AgentDriver, TaskResult, TaskRun } from "./driver.ts";
import { geminiOutcome, geminiUsage } from "./gemini_outcome.ts";
import { runAgentProcess } from "./agent_process.ts";
import { MAX_ARGV_PROMPT_BYTES } from "./claude.ts";
import { GeminiStream } from "./gemini_stream.ts";
import {
  dropGeminiHome,
  geminiHomeFor,
  geminiSettings,
  writeGeminiHome,
} from "./gemini_home.ts";
import {
  type GeminiPermissions,
  geminiPermissions,
  type PermissionRules,
} from "./gemini_permissions.ts";
import { mcpServerSpec } from "./maos_mcp.ts";
import { buildPrompt } from "./prompt.ts";

/** Options of the gemini driver (from maos.json `drivers.gemini`). */
export interface GeminiDriverOptions {
  /** The CLI to run; default env MAOS_GEMINI_BIN, else `gemini` on PATH. */
  bin?: string;
  /** `-m`, when set (without it the CLI routes between its models itself). */
  model?: string;
  /** `security.auth.selectedType`; default "gemini-api-key". */
  authType?: string;
  /** Tries of one API call before the run fails; default maos.json `modelRetries` + 1 (registry.ts). */
  maxAttempts?: number;
  /** USD per million tokens; without it no cost is computed (tokens only). */
  pricing?: TokenPricing;
  /** Permissions of agents that have none of their own. */
  permissions?: PermissionRules;
  /** More arguments, appended as they are. */
  extraArgs?: string[];
  /** Time between a stop request and SIGKILL; default 10 s. */
  graceMs?: number;
}

/** Tries of one API call when the driver is built without settings (registry.ts passes `modelRetries` + 1). */
export const GEMINI_MAX_ATTEMPTS = 2;

/**
 * Drive the Gemini CLI. `run()` rejects with a MaosError when the binary is
 * missing (every task would fail the same way); everything else is a result.
 *
 * @example
 * const result = await new GeminiDriver({ model: "gemini-2.5-pro" }).run(taskRun);
 */
export class GeminiDriver implements AgentDriver {
  readonly name = "gemini";
  readonly simulated = false;

  constructor(private readonly options: GeminiDriverOptions = {}) {}

  /** The CLI this driver runs: option `bin`, else env MAOS_GEMINI_BIN, else `gemini`. */
  get bin(): string {
    return this.options.bin || process.env.MAOS_GEMINI_BIN || "gemini";
  }

  /** Tries of one API call before the run fails. */
  get maxAttempts(): number {
    return this.options.maxAttempts ?? GEMINI_MAX_ATTEMPTS;
  }

  async run(run: TaskRun): Promise<TaskResult> {
    const bin = this.bin;
    const maxAttempts = this.maxAttempts;
    const permissions = geminiPermissions(
      agentRules(run) ??
        this.options.permissions,
    );
    for (const rule of permissions.ignored) {
      run.emit({
        type: "output",
        line:
          `[maos] permission rule ${rule} has no Gemini CLI equivalent; ignored`,
      });
    }
    const home = geminiHomeFor(run.env);
    try {
      writeGeminiHome(
        home,
        geminiSettings({
          authType: this.options.authType,
          maxAttempts,
          mcp: mcpServerSpec(run.env),
          permissions,
        }),
      );
      return await this.#run(run, bin, home.dir, permissions, maxAttempts);
    } finally {
      dropGeminiHome(home);
    }
  }

  async #run(
    run: TaskRun,
    bin: string,
    home: string,
    permissions: GeminiPermissions,
    maxAttempts: number,
  ): Promise<TaskResult> {
    // The Gemini CLI has no separate system prompt flag: the role opens the prompt.
    const prompt = buildPrompt(run, { includeRole: true, channel: "mcp" });
    const viaStdin = Buffer.byteLength(prompt) > MAX_ARGV_PROMPT_BYTES;
    // The CLI retries a failing API with backoff for minutes: stop it at the bound.
    const giveUp = new AbortController();
    const stream = new GeminiStream(
      run.emit,
      maxAttempts,
      () => giveUp.abort(),
    );
    run.emit({ type: "activity", waitingFor: "the Gemini CLI to start" });
    const exit = await runAgentProcess({
      command: bin,
      args: geminiArgs(run, this.options, permissions, viaStdin ? "" : prompt),
      // With -p the CLI puts a piped stdin before the prompt.
      stdin: viaStdin ? prompt : undefined,
      cwd: run.cwd,
      env: { ...process.env, ...run.env, GEMINI_CLI_HOME: home },
      onLine: (line) => stream.onLine(line),
      onStderrLine: (line) => stream.onStderrLine(line),
      onProcess: run.onProcess,
      stop: run.stop,
      kill: AbortSignal.any([run.kill, giveUp.signal]),
      graceMs: this.options.graceMs,
    });
    stream.end();

    const usage = geminiUsage(stream.result, this.options.pricing);
    if (usage) run.emit(usage);
    if (exit.spawnError?.what === "command") {
      if (exit.spawnError.code === "ENOENT") throw geminiNotFound(bin);
      throw new MaosError(
        `cannot start the Gemini CLI (\`${bin}\`): ${exit.spawnError.message}`,
      );
    }
    return geminiOutcome(exit, stream, run.sessionId);
  }
}

/**
 * The error for a Gemini CLI binary that is not there.
 *
 * @example
 * throw geminiNotFound("gemini"); // "Gemini CLI (`gemini`) not found; install it (npm install -g @google/gemini-cli) or set MAOS_GEMINI_BIN"
 */
export function geminiNotFound(bin: string): MaosError {
  return new MaosError(
    `Gemini CLI (\`${bin}\`) not found; install it (npm install -g @google/gemini-cli) or set MAOS_GEMINI_BIN`,
    ExitCode.failed,
    "or set drivers.gemini.bin in maos.json; use --driver shell or sim to run offline",
  );
}

/**
 * The argv of one run: `-p PROMPT -o stream-json --approval-mode MODE
 * [-m MODEL] [--resume SESSION] [extraArgs…]`.
 *
 * @example
 * geminiArgs(taskRun, {}, geminiPermissions(), "Do it"); // ["-p", "Do it", "-o", "stream-json", "--approval-mode", "auto_edit"]
 */
export function geminiArgs(
  run: TaskRun,
  options: GeminiDriverOptions,
  permissions: GeminiPermissions,
  prompt: string,
): string[] {
  const args = ["-p", prompt || "Follow the instructions above."];
  args.push("-o", "stream-json", "--approval-mode", permissions.approvalMode);
  if (options.model) args.push("-m", options.model);
  if (run.sessionId) args.push("--resume", run.sessionId);
  args.push(...(options.extraArgs ?? []));
  return args;
}

/**
 * The agent's rules: maos.json's defaults, drivers.gemini's, the plan's and
 * its `--always` grants, layered by the engine (lib/approvals/permissions.ts).
 */
function agentRules(run: TaskRun): PermissionRules | undefined {
  return run.permissions;
}
