/**
 * The `claude` driver (DESIGN.md §4, shared/CLAUDE-PROTOCOL.md): runs Claude
 * Code headless with stream-json output, keeps the session id the moment it
 * arrives, reads cost, tokens and result from the final line, resumes with
 * --resume.
 */
import { Buffer } from "node:buffer";
import process from "node:process";
import { ExitCode, MaosError } from "../../store/errors.ts";
import type { TokenPricing } from "../../store/schema.ts";
import {
  type AgentDriver,
  MODEL_UNREACHABLE,
  type TaskResult,
  type TaskRun,
} from "./driver.ts";
import { runAgentProcess } from "./agent_process.ts";
import { ClaudeStream } from "./claude_stream.ts";
import type { LearnedPrices } from "./claude_prices.ts";
import {
  claudeAllowedTools,
  claudeMcpConfig,
  claudePermissionPromptTool,
  type McpServerSpec,
  mcpServerSpec,
  PERMISSION_PROMPT_ENV,
} from "./maos_mcp.ts";
import { buildPrompt, roleInstructions } from "./prompt.ts";
import { lastLine, unfinished } from "./process_outcome.ts";
import { withoutMaosLines } from "./maos_lines.ts";

/** Options of the claude driver (from maos.json driver settings). */
export interface ClaudeDriverOptions {
  /** The CLI to run; default env MAOS_CLAUDE_BIN, else `claude` on PATH. */
  bin?: string;
  /** `--permission-mode`; default "acceptEdits". */
  permissionMode?: string;
  /** `--model`, when set. */
  model?: string;
  /** More arguments, appended as they are. */
  extraArgs?: string[];
  /** Time between a stop request and SIGKILL; default 10 s. */
  graceMs?: number;
  /** Prices by model prefix for streamed usage (maos.json `drivers.claude.pricing`). */
  pricing?: Record<string, TokenPricing>;
  /**
   * CLAUDE_CODE_MAX_RETRIES unless the environment sets it: an unreachable
   * model is then a failed turn within seconds, not minutes of backoff.
   */
  modelRetries?: number;
}

/** Prompts larger than this go on stdin: one argv string may not exceed 128 KiB on Linux. */
export const MAX_ARGV_PROMPT_BYTES = 100_000;

export const NOT_LOGGED_IN =
  "Claude Code is not logged in — run `claude` then /login";

/**
 * The API refused the credentials Claude Code has (a 401: a wrong or revoked
 * ANTHROPIC_API_KEY); the CLI's own words follow. Not the same fix as no login.
 */
export const API_KEY_REFUSED = "Claude Code's API key was refused";

/** Summaries of runs that failed for want of a working login or key. */
export const AUTH_FAILURE_PATTERN = /not logged in|API key was refused/i;

const SESSION_GONE = "No conversation found with session ID";

/** Claude Code 2.1.197 with no route to the API (measured: "API Error: Unable to connect to API (ConnectionRefused)"). */
const CANNOT_CONNECT =
  /^API Error: (Unable to connect to API.*|Connection error.*|.*(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|fetch failed).*)$/m;

/**
 * Drive Claude Code. `run()` rejects with a MaosError when the binary is
 * missing (every task would fail the same way); everything else is a result.
 *
 * @example
 * const result = await new ClaudeDriver({ permissionMode: "acceptEdits" }).run(taskRun);
 */
export class ClaudeDriver implements AgentDriver {
  readonly name = "claude";
  readonly simulated = false;

  /** What earlier result lines' modelUsage said about the prices (claude_prices.ts). */
  readonly #learned: LearnedPrices = new Map();

  constructor(private readonly options: ClaudeDriverOptions = {}) {}

  /** The CLI this driver runs: option `bin`, else env MAOS_CLAUDE_BIN, else `claude`. */
  get bin(): string {
    return this.options.bin || process.env.MAOS_CLAUDE_BIN || "claude";
  }

  async run(run: TaskRun): Promise<TaskResult> {
    const bin = this.bin;
    const prompt = buildPrompt(run, { channel: "mcp" });
    const viaStdin = Buffer.byteLength(prompt) > MAX_ARGV_PROMPT_BYTES;
    const stream = new ClaudeStream(
      run.emit,
      this.options.pricing,
      this.#learned,
    );
    const env: Record<string, string | undefined> = {
      ...process.env,
      ...run.env,
    };
    if (env.CLAUDE_CODE_MAX_RETRIES === undefined) {
      env.CLAUDE_CODE_MAX_RETRIES = String(this.options.modelRetries ?? 2);
    }
    // Set inside a Claude Code session; since 2.1.39 a nested `claude`
    // refuses to start when it sees it, and maos may run from Claude Code.
    delete env.CLAUDECODE;

    run.emit({ type: "activity", waitingFor: "Claude Code to start" });
    const exit = await runAgentProcess({
      command: bin,
      args: claudeArgs(run, this.options, viaStdin ? undefined : prompt),
      stdin: viaStdin ? prompt : undefined,
      cwd: run.cwd,
      env,
      onLine: (line) => stream.onLine(line),
      onProcess: run.onProcess,
      stop: run.stop,
      kill: run.kill,
      graceMs: this.options.graceMs,
    });

    if (exit.spawnError?.what === "command") {
      if (exit.spawnError.code === "ENOENT") throw claudeNotFound(bin);
      throw new MaosError(
        `cannot start Claude Code (\`${bin}\`): ${exit.spawnError.message}`,
      );
    }
    if (exit.spawnError) {
      return { status: "failed", summary: exit.spawnError.message };
    }

    const result = stream.result;
    const resultText = result ? [result.text, ...result.errors].join("\n") : "";
    if (
      run.sessionId &&
      (exit.stderr.includes(SESSION_GONE) || resultText.includes(SESSION_GONE))
    ) {
      return {
        status: "failed",
        summary:
          `Claude session ${run.sessionId} no longer exists (${SESSION_GONE})`,
        sessionLost: true,
      };
    }
    if (result?.isError && /not logged in/i.test(result.text)) {
      return { status: "failed", summary: NOT_LOGGED_IN };
    }
    if (stream.authFailed) {
      // Real 2.1.197 with a key the API answers 401 to: "Invalid API key ·
      // Fix external API key" — not "not logged in".
      const said = (result?.text || stream.authText).trim();
      return {
        status: "failed",
        summary: /not logged in/i.test(said)
          ? NOT_LOGGED_IN
          : `${API_KEY_REFUSED}${said ? ` (${said})` : ""}`,
      };
    }
    if (result?.subtype === "error_max_budget_usd" && stream.endedTurn) {
      // The budget ran out with the model's last answer: the turn is done.
      return {
        status: "completed",
        summary: withoutMaosLines(result.text || stream.lastText) || "done",
        budgetReached: true,
      };
    }
    if (result?.subtype === "error_max_budget_usd") {
      // Not a failure: the turn goes on in the same session once there is more budget.
      const kept = stream.sessionId ? `; session ${stream.sessionId} kept` : "";
      return {
        status: "stopped",
        summary: `stopped at the budget${kept}`,
        budgetReached: true,
      };
    }
    const unreachable = result?.isError && CANNOT_CONNECT.exec(result.text);
    if (unreachable) {
      return {
        status: "failed",
        summary: `${MODEL_UNREACHABLE}: ${unreachable[1]}`,
      };
    }
    if (result && !result.isError) {
      return {
        status: "completed",
        summary: withoutMaosLines(result.text) || "done",
      };
    }
    // The session id was emitted when it arrived, so a stopped or broken run
    // can still be resumed with it.
    if (exit.stopped) {
      const kept = stream.sessionId ? `; session ${stream.sessionId} kept` : "";
      return { status: "stopped", summary: `stopped${kept}` };
    }
    if (result) {
      const why = withoutMaosLines(result.text) || result.errors.join("; ") ||
        `Claude Code reported ${result.subtype}`;
      return { status: "failed", summary: why };
    }
    return unfinished("Claude Code", exit, lastLine(exit.stderr));
  }
}

/** Dollars for `--max-budget-usd`: never 0 (Claude would refuse it), at most 6 decimals. */
function usdArg(usd: number): string {
  return String(Math.max(0.000001, Math.floor(usd * 1e6) / 1e6));
}

/**
 * The error for a Claude Code binary that is not there.
 *
 * @example
 * throw claudeNotFound("claude"); // "Claude Code (`claude`) not found; install it or set MAOS_CLAUDE_BIN"
 */
export function claudeNotFound(bin: string): MaosError {
  return new MaosError(
    `Claude Code (\`${bin}\`) not found; install it or set MAOS_CLAUDE_BIN`,
    ExitCode.failed,
    "npm install -g @anthropic-ai/claude-code, or use --driver shell or sim to run offline",
  );
}

/**
 * The argv of one run: `-p [PROMPT] --output-format stream-json --verbose
 * --append-system-prompt ROLE [--resume SESSION] --permission-mode MODE
 * --mcp-config JSON --allowedTools TOOLS [--model M] [extraArgs…]`. Without
 * `prompt`, the CLI reads it from stdin.
 *
 * @example
 * claudeArgs(taskRun, {}, "Do it"); // ["-p", "Do it", "--output-format", "stream-json", …]
 */
export function claudeArgs(
  run: TaskRun,
  options: ClaudeDriverOptions,
  prompt: string | undefined,
): string[] {
  const args = ["-p"];
  if (prompt !== undefined) args.push(prompt);
  args.push(
    "--output-format",
    "stream-json",
    "--verbose",
    "--append-system-prompt",
    roleInstructions(run.agent),
  );
  if (run.sessionId) args.push("--resume", run.sessionId);
  // Each message's usage as it streams: a cut run still counts what it used.
  args.push("--include-partial-messages");
  if (run.budgetLeftUsd !== undefined) {
    // Claude checks it after each model call; maos stops a turn that overruns.
    args.push("--max-budget-usd", usdArg(run.budgetLeftUsd));
  }
  const permissions = run.permissions;
  args.push(
    "--permission-mode",
    permissions?.mode ?? options.permissionMode ?? "acceptEdits",
  );
  // The team channel: `maos mcp` as a stdio MCP server, its tools (and
  // `maos message send` for Bash) always allowed, then the agent's own rules.
  args.push(
    "--mcp-config",
    claudeMcpConfig(withPermissionPrompt(mcpServerSpec(run.env))),
    "--allowedTools",
    [...claudeAllowedTools(), ...(permissions?.allow ?? [])].join(","),
  );
  if (permissions?.deny.length) {
    args.push("--disallowedTools", permissions.deny.join(","));
  }
  // A call no rule allows is asked of a person through maos (lib/approvals/).
  args.push("--permission-prompt-tool", claudePermissionPromptTool());
  if (options.model) args.push("--model", options.model);
  args.push(...(options.extraArgs ?? []));
  return args;
}

/** The server Claude Code starts also offers the permission-prompt tool. */
function withPermissionPrompt(spec: McpServerSpec): McpServerSpec {
  return { ...spec, env: { ...spec.env, [PERMISSION_PROMPT_ENV]: "1" } };
}
