/**
 * `git worktree` add / list / remove, and branches for them.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { git } from "./git.ts";
import { resolveCommit } from "./repo.ts";
import { leaveOut } from "./sparse.ts";

export interface WorktreeEntry {
  path: string;
  head: string | null;
  /** Short branch name, null when detached. */
  branch: string | null;
  locked: boolean;
  /** Why it is locked ("initializing": `git worktree add` did not finish). */
  lockReason: string | null;
  /** Its directory is gone (git would prune it). */
  prunable: boolean;
}

/**
 * Make a worktree at `dir` on `branch`: the branch is created at `start`
 * when it does not exist yet, else checked out as it is. With `without`
 * (directories from the repository's top) those are never checked out:
 * the worktree is added empty and locked "initializing" until its sparse
 * checkout is set and its files written, so a kill in between leaves one
 * that the next start removes and makes again (an empty checkout must
 * never look like an agent that deleted every file).
 */
export async function addWorktree(
  repo: string,
  dir: string,
  branch: string,
  start: string,
  without: readonly string[] = [],
): Promise<void> {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const exists = await resolveCommit(repo, `refs/heads/${branch}`);
  const sparse = without.length > 0
    ? ["--no-checkout", "--lock", "--reason", "initializing"]
    : [];
  const args = exists
    ? ["worktree", "add", ...sparse, dir, branch]
    : ["worktree", "add", ...sparse, "--no-track", "-b", branch, dir, start];
  await git(repo, args);
  if (without.length === 0) return;
  await leaveOut(dir, without);
  await git(dir, ["reset", "-q", "--hard", "HEAD"]);
  await git(repo, ["worktree", "unlock", dir]);
}

/**
 * Forget worktrees whose directory is gone. Never while another worktree
 * of the repository is being added: that one looks gone too.
 */
export async function pruneWorktrees(repo: string): Promise<void> {
  await git(repo, ["worktree", "prune"], { allowFail: true });
}

/** Every worktree of the repository (the main one first). */
export async function listWorktrees(repo: string): Promise<WorktreeEntry[]> {
  const out = (await git(repo, ["worktree", "list", "--porcelain"])).stdout;
  const entries: WorktreeEntry[] = [];
  for (const block of out.split("\n\n")) {
    const lines = block.split("\n").filter((l) => l !== "");
    const top = lines.find((l) => l.startsWith("worktree "));
    if (!top) continue;
    const field = (name: string) =>
      lines.find((l) => l === name || l.startsWith(`${name} `));
    const branch = field("branch")?.slice("branch ".length) ?? null;
    entries.push({
      path: top.slice("worktree ".length),
      head: field("HEAD")?.slice("HEAD ".length) ?? null,
      branch: branch?.replace(/^refs\/heads\//, "") ?? null,
      locked: field("locked") !== undefined,
      lockReason: field("locked")?.slice("locked ".length) || null,
      prunable: field("prunable") !== undefined,
    });
  }
  return entries;
}

/** Remove a worktree (its files go; its branch stays). */
export async function removeWorktree(
  repo: string,
  dir: string,
  force = false,
): Promise<void> {
  const args = ["worktree", "remove"];
  if (force) args.push("--force", "--force"); // twice: also when locked
  args.push(dir);
  await git(repo, args);
}

/** Delete a local branch (`force`: also when not merged anywhere). */
export async function deleteBranch(
  repo: string,
  branch: string,
): Promise<void> {
  await git(repo, ["branch", "-D", branch], { allowFail: true });
}

/**
 * Is there a worktree at `dir` that maos may read and commit? Not when
 * `git worktree add` (or maos's sparse add) was cut before its files were
 * written: it is still locked "initializing", and its empty checkout would
 * read as every file deleted.
 */
export function worktreeReady(dir: string): boolean {
  let pointer: string;
  try {
    pointer = fs.readFileSync(path.join(dir, ".git"), "utf8");
  } catch {
    return false;
  }
  const match = /^gitdir: (.+)$/m.exec(pointer);
  if (!match) return true; // a full .git directory: a main checkout
  try {
    const reason = fs.readFileSync(
      path.join(path.resolve(dir, match[1].trim()), "locked"),
      "utf8",
    );
    return reason.trim() !== "initializing";
  } catch {
    return true; // not locked
  }
}
