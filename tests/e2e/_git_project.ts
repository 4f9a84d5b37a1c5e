/**
 * A temp project that is a real git repository, for the worktree tests
 * (not part of the program).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { git, gitText } from "../../lib/git/git.ts";
import { readEvents, writePlan } from "./_engine_helpers.ts";
import type { MaosEvent } from "../../store/schema.ts";

/** Make `dir` a repository with everything in it committed; `runs/` is ignored. */
export async function gitInit(dir: string): Promise<string> {
  await git(dir, ["init", "-q", "-b", "main"]);
  await git(dir, ["config", "user.name", "maos test"]);
  await git(dir, ["config", "user.email", "test@example.com"]);
  fs.appendFileSync(path.join(dir, ".gitignore"), "runs/\n*.log\n");
  await git(dir, ["add", "-A"]);
  await git(dir, ["commit", "-q", "-m", "start"]);
  return await gitText(dir, ["rev-parse", "HEAD"]);
}

/** The ids of the orchestrations in a project's `.maos/`, sorted. */
export function orchestrationIds(dir: string): string[] {
  return fs.readdirSync(path.join(dir, ".maos", "orchestrations")).sort();
}

/** Where an agent's worktree is (`.maos/worktrees/<id>/<agent>`). */
export function worktreeOf(dir: string, id: string, agent: string): string {
  return path.join(fs.realpathSync(dir), ".maos", "worktrees", id, agent);
}

/** `git show REV:FILE`, or null when there is no such file there. */
export async function showFile(
  dir: string,
  rev: string,
  file: string,
): Promise<string | null> {
  const r = await git(dir, ["show", `${rev}:${file}`], { allowFail: true });
  return r.code === 0 ? r.stdout : null;
}

/** `git status --porcelain` of the user's tree, without .maos/ (maos's own store). */
export async function userStatus(dir: string): Promise<string> {
  return (await gitText(dir, ["status", "--porcelain"])).split("\n")
    .filter((l) => l !== "" && !l.endsWith(".maos/")).join("\n");
}

/** The `agent.files` events of an orchestration. */
export function filesEvents(
  dir: string,
  id: string,
): Extract<MaosEvent, { type: "agent.files" }>[] {
  return readEvents(dir, id).filter((e) => e.type === "agent.files");
}

export function readFile(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/**
 * A one-agent plan (agent `dev`, task `slow`) that runs `first`, then
 * waits until the test writes the returned `go` file, then runs `last`.
 */
export function waitingPlan(
  dir: string,
  first: string,
  last = "true",
): { plan: string; go: string } {
  const go = path.join(dir, "runs", "go");
  const plan = writePlan(dir, {
    agents: [{ id: "dev", role: "developer" }],
    tasks: [{
      id: "slow",
      agent: "dev",
      title: "Slow",
      run: `${first}; while [ ! -e '${go}' ]; do sleep 0.05; done; ${last}`,
    }],
  });
  return { plan, go };
}
