/**
 * The real Claude Code and Codex CLIs in a test: where they are installed
 * (scripts/agent_clis.ts puts them in .tools/agent-clis/), and a sandbox per
 * test — a temporary HOME for claude and CODEX_HOME for codex, both pointed
 * at a model stand-in (standin/) so nothing leaves 127.0.0.1.
 *
 * @example
 * await using model = await ModelStandin.start([say("hi")]);
 * await using box = await cliSandbox(model);
 * const run = await box.claude(["-p", "Say hi", "--output-format", "stream-json", "--verbose"]);
 * run.lines.at(-1)?.type; // "result"
 * // Through maos: env: { ...box.env } (MAOS_CLAUDE_BIN, MAOS_CODEX_BIN, HOME …)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { standinCodexConfig } from "../../standin/codex_config.ts";
import type { ModelStandin } from "../../standin/server.ts";

const CLIS =
  new URL("../../.tools/agent-clis/node_modules/.bin/", import.meta.url)
    .pathname;

/** The real Claude Code (override with MAOS_TEST_CLAUDE_BIN). */
export const CLAUDE_BIN = Deno.env.get("MAOS_TEST_CLAUDE_BIN") ||
  path.join(CLIS, "claude");
/** The real Codex CLI (override with MAOS_TEST_CODEX_BIN). */
export const CODEX_BIN = Deno.env.get("MAOS_TEST_CODEX_BIN") ||
  path.join(CLIS, "codex");

/** The real Gemini CLI (override with MAOS_TEST_GEMINI_BIN). */
export const GEMINI_BIN = Deno.env.get("MAOS_TEST_GEMINI_BIN") ||
  path.join(CLIS, "gemini");

/** The API key both CLIs send to the stand-in (it accepts any). */
export const STANDIN_KEY = "sk-standin-test";

/**
 * Environment that keeps Claude Code offline and quick: the API at the
 * stand-in, no update checks, telemetry, error reports or other
 * non-essential traffic, and few retries on 429/529.
 */
export function claudeEnv(
  model: ModelStandin,
  home: string,
  maxRetries = 0,
): Record<string, string> {
  return {
    HOME: home,
    ANTHROPIC_BASE_URL: model.url,
    ANTHROPIC_API_KEY: STANDIN_KEY,
    // Set when the tests themselves run inside Claude Code: a nested claude
    // would take its auth or refuse to start.
    ANTHROPIC_AUTH_TOKEN: "",
    CLAUDECODE: "",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_ERROR_REPORTING: "1",
    CLAUDE_CODE_MAX_RETRIES: String(maxRetries),
  };
}

/**
 * What points the Gemini CLI at the stand-in; its settings (auth type,
 * trust, the maos MCP server) are written by maos's gemini driver.
 */
export function geminiEnv(model: ModelStandin): Record<string, string> {
  return {
    GOOGLE_GEMINI_BASE_URL: model.url,
    GEMINI_API_KEY: STANDIN_KEY,
    MAOS_GEMINI_BIN: GEMINI_BIN,
  };
}

/** `$CODEX_HOME/config.toml` for this stand-in. */
export function codexConfig(model: ModelStandin): string {
  return standinCodexConfig(model.url);
}

/** The output of one CLI run: stdout's JSON lines parsed (others kept as text). */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  lines: Record<string, unknown>[];
}

/** A per-test sandbox: temp dirs, environment, and runners for both CLIs. */
export interface CliSandbox {
  /** The temp root (removed on dispose). */
  root: string;
  /** A project directory to run in. */
  project: string;
  /** HOME for claude (its sessions go to `home/.claude/projects/`). */
  home: string;
  /** CODEX_HOME with config.toml written. */
  codexHome: string;
  /**
   * Everything a maos child needs to drive the real CLIs against the
   * stand-in: both CLIs' settings plus MAOS_CLAUDE_BIN / MAOS_CODEX_BIN.
   */
  env: Record<string, string>;
  /** Run the real claude directly (stdin closed), killed after `timeoutMs`. */
  claude(args: string[], timeoutMs?: number): Promise<CliRun>;
  /** Run the real codex directly (stdin closed), killed after `timeoutMs`. */
  codex(args: string[], timeoutMs?: number): Promise<CliRun>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Make a sandbox for `model`. `options.maxRetries` is what the CLIs retry a
 * 429/529 (default 0: a failure shows at once).
 */
export async function cliSandbox(
  model: ModelStandin,
  options: { maxRetries?: number } = {},
): Promise<CliSandbox> {
  const root = await Deno.makeTempDir({ prefix: "maos-real-cli-" });
  const project = path.join(root, "project");
  const home = path.join(root, "home");
  const codexHome = path.join(root, "codex-home");
  for (const dir of [project, home, codexHome]) fs.mkdirSync(dir);
  fs.writeFileSync(path.join(codexHome, "config.toml"), codexConfig(model));
  const env = {
    ...claudeEnv(model, home, options.maxRetries),
    // maos run from source is Deno: keep its cache, which lives under the
    // real HOME, or it would fetch its npm packages again.
    DENO_DIR: denoDir(),
    CODEX_HOME: codexHome,
    STANDIN_API_KEY: STANDIN_KEY,
    MAOS_CLAUDE_BIN: CLAUDE_BIN,
    MAOS_CODEX_BIN: CODEX_BIN,
    ...geminiEnv(model),
  };
  return {
    root,
    project,
    home,
    codexHome,
    env,
    claude: (args, timeoutMs) =>
      runCli(CLAUDE_BIN, args, project, env, timeoutMs),
    codex: (args, timeoutMs) =>
      runCli(CODEX_BIN, args, project, env, timeoutMs),
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
}

/** Deno's cache directory as seen with the real HOME. */
function denoDir(): string {
  const set = Deno.env.get("DENO_DIR");
  if (set) return set;
  const cache = Deno.env.get("XDG_CACHE_HOME") ||
    path.join(Deno.env.get("HOME") ?? "/root", ".cache");
  return path.join(cache, "deno");
}

async function runCli(
  bin: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<CliRun> {
  const child = new Deno.Command(bin, {
    args,
    cwd,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  try {
    const out = await child.output();
    const stdout = new TextDecoder().decode(out.stdout);
    return {
      code: out.code,
      stdout,
      stderr: new TextDecoder().decode(out.stderr),
      lines: jsonLines(stdout),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The JSON objects among `text`'s lines. */
export function jsonLines(text: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      lines.push(JSON.parse(line));
    } catch { /* a line that only looks like JSON */ }
  }
  return lines;
}
