/**
 * The `codex` driver (DESIGN.md §4, the Codex part of
 * shared/CLAUDE-PROTOCOL.md): runs `codex exec --json`, keeps the thread id
 * as the agent's session the moment it arrives, resumes with
 * `codex exec resume THREAD`, and records token usage (Codex reports no
 * dollars; maos prices it only with prices from maos.json).
 */
import { Buffer } from "node:buffer";
import process from "node:process";
import { ExitCode, MaosError } from "../../store/errors.ts";
import type { TokenPricing } from "../../store/schema.ts";
import {
  type AgentDriver,
  MODEL_UNREACHABLE,
  type SessionTotals,
  type TaskResult,
  type TaskRun,
  type UsageEvent,
} from "./driver.ts";
import { runAgentProcess } from "./agent_process.ts";
import { CodexStream } from "./codex_stream.ts";
import { MAX_ARGV_PROMPT_BYTES } from "./claude.ts";
import { withoutMaosLines } from "./maos_lines.ts";
import { lastLine, unfinished } from "./process_outcome.ts";
import { codexMcpArgs, mcpServerSpec } from "./maos_mcp.ts";
import { buildPrompt } from "./prompt.ts";

/** Options of the codex driver (from maos.json `drivers.codex`). */
export interface CodexDriverOptions {
  /** The CLI to run; default env MAOS_CODEX_BIN, else `codex` on PATH. */
  bin?: string;
  /** `-m`, when set. */
  model?: string;
  /** `-s`; default "workspace-write" (the agent may edit the project, as claude's acceptEdits). */
  sandbox?: string;
  /** USD per million tokens; without it no cost is computed (tokens only). */
  pricing?: TokenPricing;
  /** More arguments before the prompt (e.g. `-c key=value`), as they are. */
  extraArgs?: string[];
  /** Time between a stop request and SIGKILL; default 10 s. */
  graceMs?: number;
  /** Reconnects allowed before a run is given up as "the model could not be reached". */
  modelRetries?: number;
}

export const CODEX_UNAUTHORIZED =
  "Codex's API key was refused (401 Unauthorized) — run `codex login`, or set the provider's API key";

/** What codex prints (stderr, exit 1) to resume a thread it has no record of. */
const THREAD_GONE = /no rollout found for thread id/i;

/**
 * Drive the Codex CLI. `run()` rejects with a MaosError when the binary is
 * missing (every task would fail the same way); everything else is a result.
 *
 * @example
 * const result = await new CodexDriver({ sandbox: "workspace-write" }).run(taskRun);
 */
export class CodexDriver implements AgentDriver {
  readonly name = "codex";
  readonly simulated = false;

  constructor(private readonly options: CodexDriverOptions = {}) {}

  /** The CLI this driver runs: option `bin`, else env MAOS_CODEX_BIN, else `codex`. */
  get bin(): string {
    return this.options.bin || process.env.MAOS_CODEX_BIN || "codex";
  }

  async run(run: TaskRun): Promise<TaskResult> {
    const bin = this.bin;
    // Codex has no separate system prompt: the role opens the prompt.
    const prompt = buildPrompt(run, { includeRole: true, channel: "mcp" });
    const viaStdin = Buffer.byteLength(prompt) > MAX_ARGV_PROMPT_BYTES;
    // A refused key fails every retry the same way: stop at the first.
    const refused = new AbortController();
    const stream = new CodexStream(
      run.emit,
      () => refused.abort(),
      this.options.modelRetries ?? 2,
    );
    run.emit({ type: "activity", waitingFor: "Codex to start" });
    const exit = await runAgentProcess({
      command: bin,
      args: codexArgs(run, this.options, viaStdin ? "-" : prompt),
      stdin: viaStdin ? prompt : undefined,
      cwd: run.cwd,
      env: { ...process.env, ...run.env },
      onLine: (line) => stream.onLine(line),
      onProcess: run.onProcess,
      stop: run.stop,
      kill: AbortSignal.any([run.kill, refused.signal]),
      graceMs: this.options.graceMs,
    });

    stream.close();
    const usage = usageOf(stream, run, this.options.pricing);
    if (usage) run.emit(usage);

    if (exit.spawnError?.what === "command") {
      if (exit.spawnError.code === "ENOENT") throw codexNotFound(bin);
      throw new MaosError(
        `cannot start Codex (\`${bin}\`): ${exit.spawnError.message}`,
      );
    }
    if (exit.spawnError) {
      return { status: "failed", summary: exit.spawnError.message };
    }
    if (run.sessionId && THREAD_GONE.test(exit.stderr)) {
      return {
        status: "failed",
        summary:
          `Codex thread ${run.sessionId} no longer exists (no rollout found)`,
        sessionLost: true,
      };
    }
    if (stream.unauthorized) {
      return { status: "failed", summary: CODEX_UNAUTHORIZED };
    }
    if (stream.unreachable) {
      return {
        status: "failed",
        summary: `${MODEL_UNREACHABLE}: ${stream.unreachable}`,
      };
    }
    if (stream.missingKey) {
      return {
        status: "failed",
        summary:
          `Codex has no API key: ${stream.missingKey} is not set — set it, or run \`codex login\``,
      };
    }
    if (exit.exitCode === 0 && !stream.turnFailed) {
      return {
        status: "completed",
        summary: withoutMaosLines(stream.lastMessage ?? "") || "done",
      };
    }
    // The thread id was emitted when it arrived, so a stopped run can be
    // resumed with it.
    if (exit.stopped) {
      const kept = stream.threadId ? `; thread ${stream.threadId} kept` : "";
      return { status: "stopped", summary: `stopped${kept}` };
    }
    if (stream.failure) return { status: "failed", summary: stream.failure };
    return unfinished(
      "Codex",
      exit,
      firstErrorLine(exit.stderr) ?? lastLine(exit.stderr),
    );
  }
}

/**
 * The error for a Codex binary that is not there.
 *
 * @example
 * throw codexNotFound("codex"); // "Codex CLI (`codex`) not found; install it (npm install -g @openai/codex) or set MAOS_CODEX_BIN"
 */
export function codexNotFound(bin: string): MaosError {
  return new MaosError(
    `Codex CLI (\`${bin}\`) not found; install it (npm install -g @openai/codex) or set MAOS_CODEX_BIN`,
    ExitCode.failed,
    "or set drivers.codex.bin in maos.json; use --driver shell or sim to run offline",
  );
}

/**
 * The argv of one run: `exec --json --skip-git-repo-check -s SANDBOX [-m M]
 * -c mcp_servers.maos.… -c allow_login_shell=false [extraArgs…]
 * [resume THREAD] PROMPT` (`-` for
 * PROMPT: read from stdin). The exec options go before `resume`, which
 * takes them too (measured).
 *
 * @example
 * codexArgs(taskRun, {}, "Do it"); // ["exec", "--json", "--skip-git-repo-check", "-s", "workspace-write", "Do it"]
 */
export function codexArgs(
  run: TaskRun,
  options: CodexDriverOptions,
  prompt: string,
): string[] {
  // maos may run outside a git repository; codex refuses that by default.
  const args = ["exec", "--json", "--skip-git-repo-check"];
  // The agent's own sandbox (plan or maos.json permissions) over the driver's.
  args.push(
    "-s",
    run.permissions?.sandbox ?? options.sandbox ?? "workspace-write",
  );
  if (options.model) args.push("-m", options.model);
  // The team channel: `maos mcp` as Codex's MCP server "maos".
  args.push(...codexMcpArgs(mcpServerSpec(run.env)));
  // Codex runs commands in a login shell by default, whose profile may reset
  // PATH (Debian's /etc/profile does) and drop the `maos` maos put first.
  args.push("-c", "allow_login_shell=false");
  args.push(...(options.extraArgs ?? []));
  if (run.sessionId) args.push("resume", run.sessionId);
  args.push(prompt);
  return args;
}

/**
 * This run's tokens: `turn.completed` gives the thread's running counters,
 * so the counters the thread had before (kept with the agent) are taken
 * off. Nothing when the run ended before a turn completed (Codex printed no
 * usage; what it spent shows in the thread's counters next time).
 */
function usageOf(
  stream: CodexStream,
  run: TaskRun,
  pricing: TokenPricing | undefined,
): UsageEvent | undefined {
  const now = stream.totals;
  if (!now) return undefined;
  const sameThread = run.sessionId !== undefined &&
    stream.threadId === run.sessionId;
  const before = sameThread ? run.sessionTotals : undefined;
  const part = (key: keyof SessionTotals) => {
    const was = before?.[key] ?? 0;
    // Counters that went down belong to a thread that started over.
    return now[key] >= was ? now[key] - was : now[key];
  };
  const input = part("inputTokens");
  const cached = Math.min(part("cachedInputTokens"), input);
  const output = part("outputTokens");
  return {
    type: "usage",
    ...(pricing ? { costUsd: priced(pricing, input, cached, output) } : {}),
    inputTokens: input,
    outputTokens: output,
    sessionTotals: now,
  };
}

/** USD of the tokens at the prices per million (cached input at its own price when set). */
export function priced(
  pricing: TokenPricing,
  input: number,
  cached: number,
  output: number,
): number {
  const usd = (input - cached) * pricing.inputPerMTok +
    cached * (pricing.cachedInputPerMTok ?? pricing.inputPerMTok) +
    output * pricing.outputPerMTok;
  return usd / 1e6;
}

/** Codex prints `Error: …` then a backtrace: the error is the line worth showing. */
function firstErrorLine(stderr: string): string | undefined {
  return /^Error: (.+)$/m.exec(stderr)?.[1]?.trim();
}
