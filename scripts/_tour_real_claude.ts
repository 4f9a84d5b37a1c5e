/**
 * The tour steps "real Claude Code (or Gemini CLI) against the model
 * stand-in": starts the stand-in with its built-in model (as `deno task
 * standin` does), points the pinned CLI from .tools/agent-clis/ at it, and
 * runs `maos orchestrate … --driver claude|gemini` in a scratch git project
 * of its own (so the tour's other blocks are not changed by it).
 *
 * scripts/update_readme.ts calls it; run alone it prints the block:
 *
 *   deno run -A scripts/_tour_real_claude.ts [claude|gemini]
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import process from "node:process";
import { ModelStandin } from "../standin/server.ts";
import { autoModel } from "../standin/auto_model.ts";
import { AGENT_CLIS } from "./agent_clis.ts";
import { installedClis, prepareDirs, standinEnv } from "./standin.ts";

export const TOUR_REQUEST = "Add a health check endpoint";

/**
 * The block's text: a label line, the command, and what maos printed
 * (stdout and stderr interleaved). Undefined when the pinned CLIs are not
 * installed (`deno task agent-clis`).
 */
export function realClaudeTour(
  maosArgv: string[],
  baseEnv: Record<string, string | undefined>,
): Promise<string | undefined> {
  return realCliTour("claude", maosArgv, baseEnv);
}

/** The same with the real Gemini CLI (`--driver gemini`). */
export function realGeminiTour(
  maosArgv: string[],
  baseEnv: Record<string, string | undefined>,
): Promise<string | undefined> {
  return realCliTour("gemini", maosArgv, baseEnv);
}

const CLI_LABELS = {
  claude: ["Claude Code", AGENT_CLIS["@anthropic-ai/claude-code"]],
  gemini: ["Gemini CLI", AGENT_CLIS["@google/gemini-cli"]],
} as const;

async function realCliTour(
  driver: "claude" | "gemini",
  maosArgv: string[],
  baseEnv: Record<string, string | undefined>,
): Promise<string | undefined> {
  const bins = installedClis();
  if (!bins[driver]) return undefined;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `maos-tour-${driver}-`));
  await using model = await ModelStandin.start([], autoModel());
  try {
    const project = path.join(work, "my-app");
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, "server.ts"),
      'Deno.serve(() => new Response("hello"));\n',
    );
    for (
      const args of [
        ["init", "-q"],
        ["add", "-A"],
        [
          "-c",
          "user.email=tour@example.com",
          "-c",
          "user.name=tour",
          "commit",
          "-qm",
          "start",
        ],
      ]
    ) spawnSync("git", args, { cwd: project });
    const dirs = prepareDirs(
      path.join(work, "standin"),
      (d) => standinEnv(model.url, d, bins),
      model.url,
    );
    const env = {
      ...baseEnv,
      ...standinEnv(model.url, dirs, bins),
      ANTHROPIC_AUTH_TOKEN: "",
      CLAUDECODE: "",
    };
    const args = ["orchestrate", TOUR_REQUEST, "--driver", driver];
    // Not spawnSync: the stand-in answers from this process's event loop.
    const shown = await output(
      "/bin/sh",
      ["-c", 'exec "$@" 2>&1', "sh", ...maosArgv, ...args],
      { cwd: project, env },
    );
    const [name, version] = CLI_LABELS[driver];
    return [
      `# real ${name} ${version} against a local model stand-in (no network)`,
      `$ maos orchestrate "${TOUR_REQUEST}" --driver ${driver}`,
      shown.trimEnd(),
    ].join("\n");
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Run a command to its end; its stdout. */
function output(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string | undefined> },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...options,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let text = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => text += chunk);
    child.on("error", reject);
    child.on("close", () => resolve(text));
  });
}

if (import.meta.main) {
  const repo = path.resolve(import.meta.dirname ?? ".", "..");
  const driver = process.argv[2] === "gemini" ? "gemini" : "claude";
  const block = await realCliTour(
    driver,
    [Deno.execPath(), "run", "-A", path.join(repo, "main.ts")],
    { ...process.env, NO_COLOR: "1", COLUMNS: "100" },
  );
  if (block === undefined) {
    console.error("the pinned CLIs are missing: run `deno task agent-clis`");
    process.exit(1);
  }
  console.log(block);
}
