/**
 * Run the model stand-in (standin/) for a person: a local server on
 * 127.0.0.1 that plays the model for the real Claude Code, Codex and Gemini
 * CLI, so `maos orchestrate --driver claude|codex|gemini` runs offline and
 * free. It answers
 * maos's prompts by itself (standin/auto_model.ts), writes a Codex
 * config and an env file, prints what to export, and runs until Ctrl-C.
 *
 *   deno task standin [--port 8123] [--delay 1] [--dir DIR] [--quiet]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { ModelStandin } from "../standin/server.ts";
import { autoModel } from "../standin/auto_model.ts";
import { standinCodexConfig } from "../standin/codex_config.ts";
import { AGENT_CLIS_DIR, missingClis } from "./agent_clis.ts";

/** The key the CLIs send; the stand-in takes any. */
export const STANDIN_KEY = "sk-standin";

/** Where the stand-in keeps Claude Code's and Codex's config and sessions. */
export interface StandinDirs {
  root: string;
  claudeConfig: string;
  codexHome: string;
  envFile: string;
}

/**
 * The environment that points the CLIs at the stand-in at `url`, keeps
 * them offline (no update checks, telemetry, error reports) and their
 * config in `dirs` (not in ~/.claude or ~/.codex). The Gemini CLI needs only
 * its base URL and a key: maos's gemini driver writes its settings per agent.
 *
 * @example
 * standinEnv("http://127.0.0.1:8123", dirs).ANTHROPIC_BASE_URL; // "http://127.0.0.1:8123"
 */
export function standinEnv(
  url: string,
  dirs: StandinDirs,
  bins: { claude?: string; codex?: string; gemini?: string } = installedClis(),
): Record<string, string> {
  return {
    ANTHROPIC_BASE_URL: url,
    ANTHROPIC_API_KEY: STANDIN_KEY,
    CLAUDE_CONFIG_DIR: dirs.claudeConfig,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_ERROR_REPORTING: "1",
    CODEX_HOME: dirs.codexHome,
    STANDIN_API_KEY: STANDIN_KEY,
    GOOGLE_GEMINI_BASE_URL: url,
    GEMINI_API_KEY: STANDIN_KEY,
    ...(bins.claude ? { MAOS_CLAUDE_BIN: bins.claude } : {}),
    ...(bins.codex ? { MAOS_CODEX_BIN: bins.codex } : {}),
    ...(bins.gemini ? { MAOS_GEMINI_BIN: bins.gemini } : {}),
  };
}

/** Make the folders and write Codex's config.toml and the env file. */
export function prepareDirs(
  root: string,
  env: (dirs: StandinDirs) => Record<string, string>,
  url: string,
): StandinDirs {
  const dirs: StandinDirs = {
    root,
    claudeConfig: path.join(root, "claude"),
    codexHome: path.join(root, "codex"),
    envFile: path.join(root, "env.sh"),
  };
  fs.mkdirSync(dirs.claudeConfig, { recursive: true });
  fs.mkdirSync(dirs.codexHome, { recursive: true });
  fs.writeFileSync(
    path.join(dirs.codexHome, "config.toml"),
    standinCodexConfig(
      url,
      "Written by maos's scripts/standin.ts: Codex talks to the local model stand-in.",
    ),
  );
  const lines = Object.entries(env(dirs)).map(([k, v]) =>
    `export ${k}=${shellQuote(v)}`
  );
  fs.writeFileSync(dirs.envFile, lines.join("\n") + "\n");
  return dirs;
}

/** The pinned CLIs in .tools/agent-clis/ (scripts/agent_clis.ts), when installed. */
export function installedClis(): {
  claude?: string;
  codex?: string;
  gemini?: string;
} {
  if (missingClis().length > 0) return {};
  const bin = path.join(AGENT_CLIS_DIR, "node_modules", ".bin");
  return {
    claude: path.join(bin, "claude"),
    codex: path.join(bin, "codex"),
    gemini: path.join(bin, "gemini"),
  };
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text)
    ? text
    : `'${text.replaceAll("'", `'\\''`)}'`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      port: { type: "string", default: "0" },
      delay: { type: "string", default: "1" },
      dir: {
        type: "string",
        default: path.join(path.dirname(AGENT_CLIS_DIR), "standin"),
      },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(
      "deno task standin [--port N] [--delay SECONDS] [--dir DIR] [--quiet]\n" +
        "Run a local model stand-in for Claude Code, Codex and the Gemini CLI (see README).",
    );
    return;
  }
  const port = Number(values.port);
  const delay = Number(values.delay);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a port number, not '${values.port}'`);
  }
  if (!(delay >= 0)) {
    throw new Error(`--delay must be seconds, not '${values.delay}'`);
  }
  const log = values.quiet
    ? undefined
    : (line: string) => console.error(`${time()} ${line}`);
  const model = await ModelStandin.start(
    [],
    autoModel({ delayMs: delay * 1000, log }),
    port,
  );
  const root = path.resolve(values.dir);
  const dirs = prepareDirs(
    root,
    (d) => standinEnv(model.url, d),
    model.url,
  );
  const bins = installedClis();
  console.log(
    [
      `Model stand-in on ${model.url} — Anthropic Messages (Claude Code), OpenAI Responses (Codex) and the Gemini API (Gemini CLI).`,
      `Nothing leaves this machine and nothing is billed: its replies are canned, its token counts made up.`,
      ``,
      `In another terminal, point the CLIs at it (${
        path.relative(process.cwd(), dirs.envFile) || dirs.envFile
      } holds these lines):`,
      ``,
      `  . ${dirs.envFile}`,
      ``,
      ...fs.readFileSync(dirs.envFile, "utf8").trimEnd().split("\n").map((
        l,
      ) => `    ${l}`),
      ``,
      `Codex reads ${
        path.join(dirs.codexHome, "config.toml")
      } (a provider "standin" at ${model.url}/v1).`,
      ...(bins.claude ? [] : [
        `The pinned CLIs are not in .tools/agent-clis/: run \`deno task agent-clis\`, or set MAOS_CLAUDE_BIN / MAOS_CODEX_BIN / MAOS_GEMINI_BIN.`,
      ]),
      ``,
      `Then, in a project of yours:`,
      ``,
      `  maos orchestrate "Add a health check endpoint" --driver claude`,
      `  maos orchestrate "Add a health check endpoint" --driver codex`,
      `  maos orchestrate "Add a health check endpoint" --driver gemini`,
      ``,
      `Ctrl-C here stops the stand-in.`,
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await model.close();
  console.error("model stand-in stopped");
}

function time(): string {
  return new Date().toISOString().slice(11, 19);
}

if (import.meta.main) {
  try {
    await main();
  } catch (err) {
    console.error(`standin: ${err instanceof Error ? err.message : err}`);
    process.exit(2);
  }
}
