/**
 * `worktrees` in maos.json: what a new agent worktree gets before its
 * agent works there. `copy` brings in files git does not carry (`.env`,
 * build output) from the project; they are never committed by maos (the
 * workspace leaves them out of every `git add`). `setup` commands (`npm
 * ci`) run once per worktree, their output saved with the task's; a
 * failure fails the task, and a resume runs them again.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { gitText } from "../git/git.ts";
import type { Workspace } from "./workspace.ts";

export interface SetupHooks {
  /** One line of a setup command's output (stdout and stderr). */
  output(line: string): void;
  /** The process group of each command, so a crash watchdog can end it. */
  onProcess?(pid: number): void;
  onExit?(pid: number): void;
  signal?: AbortSignal;
  /** Added to maos's environment (the agent's MAOS_* variables). */
  env?: Record<string, string>;
}

/**
 * Copy the `copy` paths (files or folders, relative to the project) that
 * the agent's worktree lacks; what the agent changed there stays. Returns
 * the paths that the project does not have (a warning, not a failure).
 */
export function copyInto(
  workspace: Workspace,
  agent: string,
  copy: readonly string[],
): string[] {
  const missing: string[] = [];
  const to = workspace.cwdFor(agent);
  for (const rel of copy) {
    const from = path.join(workspace.projectRoot, rel);
    if (!fs.existsSync(from)) {
      missing.push(rel);
      continue;
    }
    const target = path.join(to, rel);
    if (fs.existsSync(target)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.cpSync(from, target, { recursive: true, preserveTimestamps: true });
  }
  return missing;
}

/** Where a worktree records that its setup ran: in its own git dir, gone with it. */
async function markerOf(workspace: Workspace, agent: string): Promise<string> {
  const dir = workspace.worktreeOf(agent);
  return path.resolve(
    dir,
    await gitText(dir, ["rev-parse", "--git-dir"]),
    "maos-setup.json",
  );
}

function digest(commands: readonly string[]): string {
  return createHash("sha256").update(JSON.stringify(commands)).digest("hex");
}

/**
 * Run the setup commands in the agent's worktree unless they already ran
 * there (the same commands). Returns why it failed, or null.
 */
export async function runSetup(
  workspace: Workspace,
  agent: string,
  commands: readonly string[],
  hooks: SetupHooks,
): Promise<string | null> {
  if (commands.length === 0) return null;
  const marker = await markerOf(workspace, agent);
  try {
    const done = JSON.parse(fs.readFileSync(marker, "utf8"));
    if (done?.commands === digest(commands)) return null;
  } catch { /* not run yet (or a torn marker: run again) */ }
  for (const command of commands) {
    hooks.output(`[setup] $ ${command}`);
    const failure = await runOne(command, workspace.cwdFor(agent), hooks);
    if (failure) {
      return `worktree setup failed: ${
        JSON.stringify(command)
      } ${failure} (fix it, then: maos orchestration resume ${
        workspace.id.slice(0, 8)
      })`;
    }
  }
  fs.writeFileSync(
    marker,
    JSON.stringify({
      commands: digest(commands),
      at: new Date().toISOString(),
    }) + "\n",
  );
  return null;
}

function runOne(
  command: string,
  cwd: string,
  hooks: SetupHooks,
): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn("/bin/sh", ["-c", command], {
      cwd,
      env: { ...process.env, ...hooks.env },
      detached: true, // its own process group: a pause ends all of it
      stdio: ["ignore", "pipe", "pipe"],
    });
    const pid = child.pid;
    if (pid) hooks.onProcess?.(pid);
    let last = "";
    /** One stream's decoder and the text after its last newline. */
    const reader = () => ({ decoder: new TextDecoder(), text: "" });
    const lines = (chunk: Buffer, rest: ReturnType<typeof reader>) => {
      const parts = (rest.text + rest.decoder.decode(chunk, { stream: true }))
        .split(/\r?\n/);
      rest.text = parts.pop() ?? "";
      for (const line of parts) {
        hooks.output(`[setup] ${line}`);
        if (line.trim()) last = line.trim();
      }
    };
    const out = reader();
    const err = reader();
    child.stdout!.on("data", (c: Buffer) => lines(c, out));
    child.stderr!.on("data", (c: Buffer) => lines(c, err));
    const stop = () => {
      try {
        if (pid) process.kill(-pid, "SIGTERM");
      } catch { /* already gone */ }
    };
    hooks.signal?.addEventListener("abort", stop, { once: true });
    child.on("error", (e) => {
      hooks.signal?.removeEventListener("abort", stop);
      resolve(`could not start: ${e.message}`);
    });
    child.on("close", (code, signal) => {
      hooks.signal?.removeEventListener("abort", stop);
      if (pid) hooks.onExit?.(pid);
      for (const rest of [out, err]) {
        if (rest.text) hooks.output(`[setup] ${rest.text}`);
        if (rest.text.trim()) last = rest.text.trim();
      }
      if (code === 0) return resolve(null);
      const why = signal
        ? `was stopped (${signal})`
        : `exited with code ${code}`;
      resolve(last ? `${why}: ${last}` : why);
    });
  });
}
