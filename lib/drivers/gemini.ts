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
import { runAgentProcess } from "./agent_process.ts";
import { MAX_ARGV_PROMPT_BYTES } from "./claude.ts";
import { priced } from "./codex.ts";
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
import { withoutMaosLines } from "./maos_lines.ts";
import { lastLine } from "./process_outcome.ts";
import { buildPrompt } from "./prompt.ts";

/** Options of the gemini driver (from maos.json `drivers.gemini`). */
export interface GeminiDriverOptions {
  /** The CLI to run; default env MAOS_GEMINI_BIN, else `gemini` on PATH. */
  bin?: string;
  /** `-m`, when set (without it the CLI routes between its models itself). */
  model?: string;
  /** `security.auth.selectedType`; default "gemini-api-key". */
  authType?: string;
  /** Tries of one API call before the run fails; default 2. */
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

/** Tries of one API call by default: one retry, then the task fails with the reason. */
export const GEMINI_MAX_ATTEMPTS = 2;

/** Exit codes of the Gemini CLI 0.61.0 (measured). */
const EXIT = { auth: 41, badInput: 42, turnLimit: 53, untrusted: 55 };

/**
 * What it prints (stderr, exit 42) for a `--resume` id it has no file of:
 * "Error resuming session: Invalid session identifier …", or "… No previous
 * sessions found for this project." when it has none at all.
 */
const SESSION_GONE = /Error resuming session/;
/** A refused key: the API's 401 / UNAUTHENTICATED (or 403 PERMISSION_DENIED). */
const REFUSED = /\b401\b|UNAUTHENTICATED|API key not valid/i;

export const GEMINI_KEY_REFUSED =
  "the Gemini API refused the key (401) — check GEMINI_API_KEY";

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

  async run(run: TaskRun): Promise<TaskResult> {
    const bin = this.bin;
    const maxAttempts = this.options.maxAttempts ?? GEMINI_MAX_ATTEMPTS;
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

    const result = stream.result;
    if (result && (result.inputTokens > 0 || result.outputTokens > 0)) {
      const pricing = this.options.pricing;
      run.emit({
        type: "usage",
        ...(pricing
          ? {
            costUsd: priced(
              pricing,
              result.inputTokens,
              Math.min(result.cachedTokens, result.inputTokens),
              result.outputTokens,
            ),
          }
          : {}),
        inputTokens: result.inputTokens,
        outputTokens: result.outputTokens,
      });
    }

    if (exit.spawnError?.what === "command") {
      if (exit.spawnError.code === "ENOENT") throw geminiNotFound(bin);
      throw new MaosError(
        `cannot start the Gemini CLI (\`${bin}\`): ${exit.spawnError.message}`,
      );
    }
    if (exit.spawnError) {
      return { status: "failed", summary: exit.spawnError.message };
    }
    if (
      run.sessionId && exit.exitCode === EXIT.badInput &&
      SESSION_GONE.test(exit.stderr)
    ) {
      return {
        status: "failed",
        summary: `Gemini session ${run.sessionId} no longer exists (${
          exit.stderr.split("\n").find((l) => SESSION_GONE.test(l))?.trim()
        })`,
        sessionLost: true,
      };
    }
    if (stream.gaveUp) {
      const why = stream.lastApiError ??
        (stream.lastStatus ? `HTTP ${stream.lastStatus}` : "no answer");
      return {
        status: "failed",
        summary:
          `the Gemini API kept failing (${why}); maos stopped the Gemini CLI after ${stream.failedAttempts} attempts`,
      };
    }
    if (exit.exitCode === EXIT.auth) {
      return { status: "failed", summary: authProblem(exit.stderr) };
    }
    if (exit.exitCode === EXIT.untrusted) {
      return {
        status: "failed",
        summary:
          "the Gemini CLI does not trust the agent's folder (exit 55): a system settings file (/etc/gemini-cli/settings.json) turns folder trust back on — allow the folder there, or set GEMINI_CLI_TRUST_WORKSPACE=true",
      };
    }
    if (result?.ok && exit.exitCode === 0) {
      return {
        status: "completed",
        summary: withoutMaosLines(stream.answer.trim()) || "done",
      };
    }
    // The session id was emitted when it arrived, so a stopped run can be
    // resumed with it.
    if (exit.stopped) {
      const kept = stream.sessionId ? `; session ${stream.sessionId} kept` : "";
      return { status: "stopped", summary: `stopped${kept}` };
    }
    if (result?.error && REFUSED.test(result.error)) {
      return { status: "failed", summary: GEMINI_KEY_REFUSED };
    }
    if (result?.error) {
      return { status: "failed", summary: `Gemini API error: ${result.error}` };
    }
    if (exit.exitCode === EXIT.turnLimit) {
      return {
        status: "failed",
        summary: "the Gemini CLI reached its turn limit (exit 53)",
      };
    }
    const how = exit.signal
      ? `was killed by ${exit.signal}`
      : `exited with code ${exit.exitCode}`;
    const why = lastLine(exit.stderr);
    return {
      status: "failed",
      summary: `the Gemini CLI ${how} before finishing${why ? `: ${why}` : ""}`,
    };
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

/** The agent's own rules, once plan agents carry `permissions` (the permissions issue). */
function agentRules(run: TaskRun): PermissionRules | undefined {
  return (run.agent as { permissions?: PermissionRules }).permissions;
}

/** Exit 41: the CLI's own line says what is missing (no key, a bad auth type). */
function authProblem(stderr: string): string {
  const said = stderr.split("\n").map((l) => l.trim())
    .find((l) => /GEMINI_API_KEY|auth method|API key|credentials/i.test(l));
  return `the Gemini CLI cannot authenticate (exit 41)${
    said ? `: ${said}` : ""
  } — set GEMINI_API_KEY, or drivers.gemini.authType in maos.json`;
}
