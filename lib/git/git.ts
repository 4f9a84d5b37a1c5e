/**
 * The real `git` CLI, run with an argv (never a shell string). Every git
 * call of maos goes through `git()`, so a missing or too old git is one
 * clear error, not a stack trace.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { MaosError } from "../../store/errors.ts";

/**
 * `git sparse-checkout set --no-cone` (2.35), for worktrees without the
 * project's `.maos/`, is the newest thing maos relies on.
 */
export const MIN_GIT_VERSION: readonly [number, number] = [2, 35];

/** Output of a git call that succeeded (or failed with `allowFail`). */
export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GitOptions {
  /** Extra environment (GIT_INDEX_FILE, identities). */
  env?: Record<string, string>;
  /** Return a non-zero exit instead of throwing. */
  allowFail?: boolean;
}

/** Thrown when git ran but said no; `stderr` is its reason. */
export class GitError extends MaosError {
  constructor(
    readonly args: readonly string[],
    readonly result: GitResult,
  ) {
    super(
      `git ${args.join(" ")} failed: ${
        firstLine(result.stderr) || `exit ${result.code}`
      }`,
    );
  }
}

/** Identity of commits maos makes itself (saves, task ends, merges in worktrees). */
export function maosIdentity(who: string): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: who,
    GIT_AUTHOR_EMAIL: "maos@localhost",
    GIT_COMMITTER_NAME: who,
    GIT_COMMITTER_EMAIL: "maos@localhost",
  };
}

/**
 * Run `git -C cwd ARGS…`. Throws GitError on a non-zero exit (unless
 * `allowFail`), MaosError when git is not installed.
 */
export function git(
  cwd: string,
  args: readonly string[],
  options: GitOptions = {},
): Promise<GitResult> {
  // No pager, no prompt, no background gc: maos's calls are short and quiet.
  const argv = [
    "-C",
    cwd,
    "-c",
    "gc.auto=0",
    "-c",
    "core.quotepath=off",
    ...args,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      argv,
      {
        env: {
          ...process.env,
          GIT_TERMINAL_PROMPT: "0",
          GIT_PAGER: "cat",
          GIT_OPTIONAL_LOCKS: "0",
          ...options.env,
        },
        maxBuffer: 256 * 1024 * 1024,
        encoding: "utf8",
      },
      (err, stdout, stderr) => {
        if (err && typeof err.code === "string") {
          reject(gitMissing(err.code));
          return;
        }
        const result: GitResult = {
          code: err ? (typeof err.code === "number" ? err.code : 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        };
        if (result.code !== 0 && !options.allowFail) {
          reject(new GitError(args, result));
        } else {
          resolve(result);
        }
      },
    );
  });
}

/** stdout of a git call, trimmed. */
export async function gitText(
  cwd: string,
  args: readonly string[],
  options: GitOptions = {},
): Promise<string> {
  return (await git(cwd, args, options)).stdout.trim();
}

let checkedVersion: Promise<string> | undefined;

/**
 * The installed git's version ("2.39.5"); a clear error when git is
 * missing or older than MIN_GIT_VERSION. Checked once per process.
 */
export function requireGit(): Promise<string> {
  checkedVersion ??= (async () => {
    const text = await gitText(".", ["--version"]);
    const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
    const [major, minor] = match
      ? [Number(match[1]), Number(match[2])]
      : [0, 0];
    const [needMajor, needMinor] = MIN_GIT_VERSION;
    if (major < needMajor || (major === needMajor && minor < needMinor)) {
      throw new MaosError(
        `git ${
          match?.[0] ?? text
        } is too old for agent worktrees (needs ${needMajor}.${needMinor} or newer)`,
        1,
        "update git, or run with --isolation shared",
      );
    }
    return match![0];
  })();
  checkedVersion.catch(() => (checkedVersion = undefined));
  return checkedVersion;
}

function gitMissing(code: string): MaosError {
  return new MaosError(
    code === "ENOENT"
      ? "git is not installed (or not on PATH)"
      : `git could not be started (${code})`,
    1,
    "install git, or run with --isolation shared",
  );
}

/** git's reason: its `fatal:`/`error:` line, else its first line. */
function firstLine(text: string): string {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  return lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0] ?? "";
}
