/**
 * Run one agent process in its own process group and stream its stdout as
 * lines. Every driver that starts a process goes through here, so stopping,
 * killing and cleaning up behave the same for claude, exec and shell.
 *
 * Uses only `node:` built-ins (the program is also compiled with Bun).
 */
import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import process from "node:process";
import { setTimeout as nodeSetTimeout } from "node:timers";
import { errnoCode } from "../../store/errors.ts";
import { LineSplitter } from "./line_splitter.ts";

/** Default time a stopped process gets before SIGKILL (DESIGN.md §3 Pause). */
export const DEFAULT_GRACE_MS = 10_000;
/** Default number of stderr characters kept (the tail; the end says why it failed). */
export const DEFAULT_STDERR_LIMIT = 64 * 1024;

export interface AgentProcessOptions {
  command: string;
  args: string[];
  cwd: string;
  /** The complete environment of the child (nothing is merged in here). */
  env: Record<string, string | undefined>;
  /** Written to the child's stdin, which is then closed; without it stdin is /dev/null. */
  stdin?: string;
  /** Called for each stdout line, without its line ending; a last line without newline counts. */
  onLine(line: string): void;
  /** Called for each stderr line as it comes (e.g. a CLI's retry notices); the tail is kept either way. */
  onStderrLine?(line: string): void;
  /** Called with the pid (= process group id) right after the spawn. */
  onProcess?(pid: number): void;
  /** Aborted: SIGINT to the group, SIGTERM a little later, SIGKILL after `graceMs`. */
  stop?: AbortSignal;
  /** Aborted: SIGKILL to the group at once. */
  kill?: AbortSignal;
  /** Time between a stop request and SIGKILL; default 10 s. */
  graceMs?: number;
  /** How many characters of stderr to keep (the tail); default 64 KiB. */
  stderrLimit?: number;
}

/** Why a process could not be started. */
export interface SpawnFailure {
  /** errno code, e.g. "ENOENT" or "EACCES". */
  code: string;
  /** What was missing or refused: the program itself or the working directory. */
  what: "command" | "cwd";
  message: string;
}

/** How an agent process ended. */
export interface AgentExit {
  /** Exit code, or null when it ended by a signal or never started. */
  exitCode: number | null;
  /** Signal name ("SIGINT", "SIGKILL" …) when it ended by a signal. */
  signal: string | null;
  /** The tail of what it wrote on stderr. */
  stderr: string;
  /** True when a stop or kill was requested before it ended. */
  stopped: boolean;
  /** Set when the process could not be started at all. */
  spawnError?: SpawnFailure;
}

/**
 * Start `command args` in its own process group, stream its stdout lines to
 * `onLine`, and resolve when it has ended. Never rejects: a failed spawn is
 * reported in `spawnError`.
 *
 * When the group leader exits, whatever it left running in its group gets
 * SIGTERM: a task's processes end with the task, none are left unattended.
 *
 * @example
 * const exit = await runAgentProcess({
 *   command: "/bin/sh", args: ["-c", "echo hi"], cwd: ".", env: process.env,
 *   onLine: (line) => console.log(line),
 * });
 * // exit.exitCode === 0
 */
export function runAgentProcess(opts: AgentProcessOptions): Promise<AgentExit> {
  const stopped = () => !!(opts.stop?.aborted || opts.kill?.aborted);
  if (stopped()) {
    return Promise.resolve({
      exitCode: null,
      signal: null,
      stderr: "",
      stopped: true,
    });
  }
  const cwdProblem = checkCwd(opts.cwd);
  if (cwdProblem) {
    return Promise.resolve({
      exitCode: null,
      signal: null,
      stderr: "",
      stopped: false,
      spawnError: cwdProblem,
    });
  }
  return new Promise((resolve) => {
    const graceMs = opts.graceMs ?? DEFAULT_GRACE_MS;
    const stderrLimit = opts.stderrLimit ?? DEFAULT_STDERR_LIMIT;
    const timers: ReturnType<typeof setTimeout>[] = [];
    let stderr = "";
    let done = false;

    const child = spawn(opts.command, opts.args, {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: [opts.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const pid = child.pid;

    const signalGroup = (sig: NodeJS.Signals) => {
      if (pid === undefined) return;
      try {
        process.kill(-pid, sig);
      } catch {
        // ESRCH: the group is already gone.
      }
    };
    const onStop = () => {
      signalGroup("SIGINT");
      // SIGINT lets an agent CLI wind down its turn; SIGTERM follows for
      // programs that ignore SIGINT, SIGKILL when the grace is over.
      timers.push(setTimeout(() => signalGroup("SIGTERM"), graceMs / 5));
      timers.push(setTimeout(() => signalGroup("SIGKILL"), graceMs));
    };
    const onKill = () => signalGroup("SIGKILL");

    const finish = (exit: Omit<AgentExit, "stderr" | "stopped">) => {
      if (done) return;
      done = true;
      timers.forEach(clearTimeout);
      opts.stop?.removeEventListener("abort", onStop);
      opts.kill?.removeEventListener("abort", onKill);
      resolve({ ...exit, stderr, stopped: stopped() });
    };

    child.on("error", (err) => {
      // Only a failed spawn leaves pid undefined; later errors (a failed
      // kill) are not fatal and the close event still comes.
      if (pid !== undefined) return;
      const code = errnoCode(err) ?? "EUNKNOWN";
      finish({
        exitCode: null,
        signal: null,
        spawnError: {
          code,
          what: "command",
          message: code === "ENOENT"
            ? `${opts.command}: command not found`
            : `cannot start ${opts.command}: ${err.message}`,
        },
      });
    });
    if (pid === undefined) return;

    opts.onProcess?.(pid);
    opts.stop?.addEventListener("abort", onStop, { once: true });
    opts.kill?.addEventListener("abort", onKill, { once: true });

    if (opts.stdin !== undefined && child.stdin) {
      // A child that never reads its stdin makes the write fail with EPIPE.
      child.stdin.on("error", () => {});
      child.stdin.end(opts.stdin);
    }

    const lines = new LineSplitter(opts.onLine);
    child.stdout!.on("data", (chunk: Uint8Array) => lines.push(chunk));
    const errLines = opts.onStderrLine
      ? new LineSplitter(opts.onStderrLine)
      : null;
    const decoder = new TextDecoder();
    child.stderr!.on("data", (chunk: Uint8Array) => {
      errLines?.push(chunk);
      stderr += decoder.decode(chunk, { stream: true });
      if (stderr.length > stderrLimit) stderr = stderr.slice(-stderrLimit);
    });

    let exited: { code: number | null; signal: string | null } | undefined;
    child.on("exit", (code, signal) => {
      exited = { code, signal };
      // The leader is gone; anything left in its group ends too. This also
      // closes pipes held by a backgrounded grandchild, so "close" comes.
      signalGroup("SIGTERM");
      timers.push(setTimeout(() => {
        signalGroup("SIGKILL");
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, Math.min(graceMs, 2_000)));
    });
    child.on("close", (code, signal) => {
      lines.end();
      errLines?.end();
      const end = exited ?? { code, signal };
      finish({ exitCode: end.code, signal: end.signal });
      // Rare: a leftover that ignores SIGTERM and holds no pipe of ours.
      // Unref'd: it must not keep maos alive after its last task.
      if (groupAlive(pid)) {
        nodeSetTimeout(() => signalGroup("SIGKILL"), 1_000).unref();
      }
    });

    // Requests that arrived while spawning.
    if (opts.kill?.aborted) onKill();
    else if (opts.stop?.aborted) onStop();
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function checkCwd(cwd: string): SpawnFailure | undefined {
  try {
    if (statSync(cwd).isDirectory()) return undefined;
    return {
      code: "ENOTDIR",
      what: "cwd",
      message: `working directory ${cwd} is not a directory`,
    };
  } catch (err) {
    return {
      code: errnoCode(err) ?? "EUNKNOWN",
      what: "cwd",
      message: `working directory ${cwd} does not exist or cannot be read`,
    };
  }
}
