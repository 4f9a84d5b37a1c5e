/**
 * The tour step "real Claude Code against the model stand-in": starts the
 * stand-in with its built-in model (as `deno task standin` does), points the
 * pinned Claude Code from .tools/agent-clis/ at it, and runs
 * `maos orchestrate … --driver claude` in a scratch git project of its own
 * (so the tour's other blocks are not changed by it).
 *
 * scripts/update_readme.ts calls it; run alone it prints the block:
 *
 *   deno run -A scripts/_tour_real_claude.ts
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
export async function realClaudeTour(
  maosArgv: string[],
  baseEnv: Record<string, string | undefined>,
): Promise<string | undefined> {
  const bins = installedClis();
  if (!bins.claude) return undefined;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "maos-tour-claude-"));
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
    const args = ["orchestrate", TOUR_REQUEST, "--driver", "claude"];
    // Not spawnSync: the stand-in answers from this process's event loop.
    const shown = await output(
      "/bin/sh",
      ["-c", 'exec "$@" 2>&1', "sh", ...maosArgv, ...args],
      { cwd: project, env },
    );
    const version = AGENT_CLIS["@anthropic-ai/claude-code"];
    return [
      `# real Claude Code ${version} against a local model stand-in (no network)`,
      `$ maos orchestrate "${TOUR_REQUEST}" --driver claude`,
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
  const block = await realClaudeTour(
    [Deno.execPath(), "run", "-A", path.join(repo, "main.ts")],
    { ...process.env, NO_COLOR: "1", COLUMNS: "100" },
  );
  if (block === undefined) {
    console.error("the pinned CLIs are missing: run `deno task agent-clis`");
    process.exit(1);
  }
  console.log(block);
}
