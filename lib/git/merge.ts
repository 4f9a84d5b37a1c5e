/**
 * Merge a branch into a worktree. A conflict is aborted at once, so both
 * sides stay as they were, and reported as the list of files.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { git, gitText, maosIdentity } from "./git.ts";
import { split0 } from "./repo.ts";

export type MergeOutcome =
  | { status: "merged" | "up-to-date"; commit: string }
  | { status: "conflict"; files: string[] };

export interface MergeOptions {
  message: string;
  /** Commit as this maos identity (worktrees), else the user's own. */
  identity?: string;
  squash?: boolean;
}

/** Merge `branch` into the checkout at `dir`. */
export async function mergeBranch(
  dir: string,
  branch: string,
  options: MergeOptions,
): Promise<MergeOutcome> {
  const env = options.identity ? maosIdentity(options.identity) : undefined;
  const before = await gitText(dir, ["rev-parse", "HEAD"]);
  const args = options.squash
    ? ["merge", "--squash", branch]
    : ["merge", "--no-edit", "--no-verify", "-m", options.message, branch];
  const result = await git(dir, args, { env, allowFail: true });
  if (result.code !== 0) {
    const files = await conflictedFiles(dir, result.stderr + result.stdout);
    await abortMerge(dir, before);
    return { status: "conflict", files };
  }
  if (options.squash) {
    const staged = await git(dir, ["diff", "--cached", "--quiet"], {
      allowFail: true,
    });
    if (staged.code === 0) return { status: "up-to-date", commit: before };
    await git(dir, ["commit", "--no-verify", "-q", "-m", options.message], {
      env,
    });
  }
  const after = await gitText(dir, ["rev-parse", "HEAD"]);
  return { status: after === before ? "up-to-date" : "merged", commit: after };
}

/**
 * Would merging `branch` into `into` conflict? Uses `git merge-tree
 * --write-tree` (git 2.38+), which touches no checkout; null when this git
 * cannot tell.
 */
export async function previewMerge(
  dir: string,
  into: string,
  branch: string,
): Promise<{ conflicts: string[] } | null> {
  const result = await git(dir, [
    "merge-tree",
    "--write-tree",
    "--name-only",
    "-z",
    into,
    branch,
  ], { allowFail: true });
  if (result.code === 0) return { conflicts: [] };
  if (result.code !== 1) return null;
  // Tree id, then the conflicted file names, then an empty field and messages.
  const fields = result.stdout.split("\0");
  const files: string[] = [];
  for (const field of fields.slice(1)) {
    if (field === "") break;
    if (!files.includes(field)) files.push(field);
  }
  return { conflicts: files };
}

/**
 * Make a worktree ready for a merge without losing anything in it. A merge
 * left in progress (a kill while git merged, or a person who resolved the
 * conflicts and has not committed) is concluded when nothing is unmerged,
 * and named with its files otherwise. Changes staged but never committed (a
 * kill between add and commit) are unstaged, their files kept as they are,
 * because git refuses a true merge over a dirty index.
 */
export async function prepareForMerge(
  dir: string,
  identity: string,
): Promise<string | null> {
  const gitDir = path.resolve(
    dir,
    await gitText(dir, ["rev-parse", "--git-dir"]),
  );
  if (fs.existsSync(path.join(gitDir, "MERGE_HEAD"))) {
    const unmerged = split0(
      (await git(dir, ["diff", "--name-only", "-z", "--diff-filter=U"]))
        .stdout,
    );
    if (unmerged.length > 0) {
      return `a merge is in progress in ${dir} with conflicts in ${
        unmerged.join(", ")
      }: resolve them and git commit (or git merge --abort)`;
    }
    await git(dir, ["commit", "--no-edit", "--no-verify", "-q"], {
      env: maosIdentity(identity),
    });
    return null;
  }
  const staged = await git(dir, ["diff", "--cached", "--quiet"], {
    allowFail: true,
  });
  if (staged.code !== 0) await git(dir, ["reset", "-q"]);
  return null;
}

/** Files a failed merge left unmerged, or that it would have overwritten. */
async function conflictedFiles(dir: string, output: string): Promise<string[]> {
  const unmerged = split0(
    (await git(dir, ["diff", "--name-only", "-z", "--diff-filter=U"], {
      allowFail: true,
    })).stdout,
  );
  if (unmerged.length > 0) return unmerged;
  // "Your local changes … would be overwritten by merge:" lists them indented.
  // (indented by a tab or by spaces, depending on git's version).
  const named = output.split("\n").filter((l) => /^\s+\S/.test(l)).map((
    l,
  ) => l.trim());
  if (named.length > 0) return named;
  // Not about files at all: git's own first line says why.
  const why = output.split("\n").map((l) => l.trim()).find((l) => l !== "");
  return why ? [`(git: ${why})`] : [];
}

async function abortMerge(dir: string, before: string): Promise<void> {
  const gitDir = path.resolve(
    dir,
    await gitText(dir, ["rev-parse", "--git-dir"]),
  );
  if (fs.existsSync(path.join(gitDir, "MERGE_HEAD"))) {
    await git(dir, ["merge", "--abort"], { allowFail: true });
  } else if (fs.existsSync(path.join(gitDir, "SQUASH_MSG"))) {
    // A squash leaves no MERGE_HEAD: put the index and files back.
    await git(dir, ["reset", "--merge", before], { allowFail: true });
    fs.rmSync(path.join(gitDir, "SQUASH_MSG"), { force: true });
  }
}
