/**
 * Run the real maos as a child process, the way a user does: `$MAOS_BIN`
 * when set (a compiled binary), else `deno run -A <repo>/main.ts`.
 */

export const REPO = new URL("../../", import.meta.url).pathname;
const MAIN = new URL("../../main.ts", import.meta.url).pathname;

export interface MaosResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for `--json` runs); throws with both streams if it is not. */
  json<T = unknown>(): T;
}

export interface RunOptions {
  cwd: string;
  /** Added to the environment (the caller's MAOS_* variables are never inherited). */
  env?: Record<string, string>;
  /** Leave NO_COLOR unset (it is set by default, for plain output). */
  allowColor?: boolean;
}

/** The command line that starts maos: executable first. */
export function maosCommand(): string[] {
  const bin = Deno.env.get("MAOS_BIN");
  return bin ? [bin] : [Deno.execPath(), "run", "-A", MAIN];
}

export async function runMaos(
  args: string[],
  options: RunOptions,
): Promise<MaosResult> {
  const [cmd, ...pre] = maosCommand();
  const out = await new Deno.Command(cmd, {
    args: [...pre, ...args],
    cwd: options.cwd,
    env: childEnv(options),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = withoutRuntimeNoise(new TextDecoder().decode(out.stderr));
  return {
    code: out.code,
    stdout,
    stderr,
    json<T>() {
      try {
        return JSON.parse(stdout) as T;
      } catch {
        throw new Error(
          `maos ${args.join(" ")} printed no JSON (exit ${out.code}):\n` +
            `stdout: ${stdout}\nstderr: ${stderr}`,
        );
      }
    },
  };
}

/** Like runMaos, but the exit code must be `code`; the error shows both streams. */
export async function runMaosExpect(
  code: number,
  args: string[],
  options: RunOptions,
): Promise<MaosResult> {
  const run = await runMaos(args, options);
  if (run.code !== code) {
    throw new Error(
      `maos ${args.join(" ")}: exit ${run.code}, expected ${code}\n` +
        `stdout: ${run.stdout}\nstderr: ${run.stderr}`,
    );
  }
  return run;
}

/** The environment of a child: ours without MAOS_* (tests may run inside an agent). */
export function childEnv(
  options: Omit<RunOptions, "cwd">,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(Deno.env.toObject())) {
    if (
      !key.startsWith("MAOS_") && key !== "NO_COLOR" && key !== "FORCE_COLOR"
    ) {
      env[key] = value;
    }
  }
  if (!options.allowColor) env.NO_COLOR = "1";
  return { ...env, ...options.env };
}

/**
 * Deno itself prints "Blocking waiting for file lock on node_modules
 * directory" when several `deno run` start at once (parallel tests): not
 * maos's output, so tests must not see it.
 */
export function withoutRuntimeNoise(stderr: string): string {
  return stderr.replace(/^.*Blocking.*waiting for file lock.*\n/gm, "");
}
