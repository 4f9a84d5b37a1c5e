/**
 * Record a worktree's files as a commit on a ref of its own, without
 * touching the worktree's branch, index or files: `git add -A` goes into a
 * temporary index (a copy of the real one, so unchanged files are not
 * hashed again), untracked files included and ignored ones not.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { git, gitText, maosIdentity } from "./git.ts";
import { headCommit, treeOf } from "./repo.ts";
import { processAlive } from "../../store/lock.ts";

export interface FilesCommit {
  commit: string;
  tree: string;
  /** False when the files were the same as `previous`'s (nothing written). */
  changed: boolean;
  /** The worktree's HEAD when they were saved (only looked up when changed). */
  head?: string | null;
}

/** A worktree's git directory never moves: asked once per process. */
const gitDirs = new Map<string, string>();

async function gitDirOf(worktree: string): Promise<string> {
  let dir = gitDirs.get(worktree);
  if (!dir) {
    dir = path.resolve(
      worktree,
      await gitText(worktree, ["rev-parse", "--git-dir"]),
    );
    gitDirs.set(worktree, dir);
  }
  return dir;
}

/** Temporary indexes left by a maos that was killed while saving (its pid is gone). */
export async function removeStaleIndexes(worktree: string): Promise<void> {
  const gitDir = await gitDirOf(worktree);
  for (const name of fs.readdirSync(gitDir)) {
    const match = /^maos-files-(\d+)-[0-9a-f]+\.index(\.lock)?$/.exec(name);
    if (!match || processAlive(Number(match[1]))) continue;
    fs.rmSync(path.join(gitDir, name), { force: true });
  }
}

/** The tree of the worktree's files as they are now (through a temporary index). */
export async function worktreeTree(
  worktree: string,
  exclude: readonly string[] = [],
): Promise<string> {
  const gitDir = await gitDirOf(worktree);
  const index = path.join(gitDir, "index");
  const temp = path.join(
    gitDir,
    `maos-files-${process.pid}-${randomBytes(4).toString("hex")}.index`,
  );
  try {
    try {
      fs.copyFileSync(index, temp);
    } catch { /* no index yet: start empty */ }
    const env = { GIT_INDEX_FILE: temp };
    await git(worktree, ["add", "-A", "--", ".", ...exclude], { env });
    return await gitText(worktree, ["write-tree"], { env });
  } finally {
    fs.rmSync(temp, { force: true });
    fs.rmSync(`${temp}.lock`, { force: true });
  }
}

/**
 * Commit the worktree's files onto `ref` when they differ from what
 * `previous` (the ref's last commit) holds — or, with `checkHead`, when
 * the worktree's HEAD is no longer `previous.head` (a task end committed
 * the same files on the branch: the log must name that commit, or a
 * restore would move the branch back past it). The commit's parents are
 * the worktree's HEAD and `previous`, so every saved state stays reachable
 * from the ref.
 */
export async function commitFiles(
  worktree: string,
  ref: string,
  previous: { commit: string; tree?: string; head?: string | null } | null,
  message: string,
  options: { checkHead?: boolean; exclude?: readonly string[] } = {},
): Promise<FilesCommit> {
  const tree = await worktreeTree(worktree, options.exclude);
  const previousTree = previous
    ? previous.tree ?? await treeOf(worktree, previous.commit)
    : null;
  // The interval path skips the HEAD lookup: a moved HEAD is caught at the
  // next task end, pause or checkpoint.
  let head: string | null | undefined;
  if (previous && previousTree === tree) {
    if (!options.checkHead) {
      return { commit: previous.commit, tree, changed: false };
    }
    head = await headCommit(worktree);
    if (head === (previous.head ?? null)) {
      return { commit: previous.commit, tree, changed: false };
    }
  }
  const parents: string[] = [];
  if (head === undefined) head = await headCommit(worktree);
  if (head) parents.push(head);
  if (previous && previousTree && previous.commit !== head) {
    parents.push(previous.commit);
  }
  const commit = await gitText(
    worktree,
    ["commit-tree", tree, ...parents.flatMap((p) => ["-p", p]), "-m", message],
    { env: maosIdentity("maos") },
  );
  await git(worktree, ["update-ref", "-m", message, ref, commit]);
  return { commit, tree, changed: true, head };
}

/**
 * Point `ref` at a new commit with the files of `commit` whose parents are
 * `parents` (the first one the branch head it goes with): a ref moved back
 * to older files keeps what it held reachable, so git's gc cannot take it.
 */
export async function joinFiles(
  repo: string,
  ref: string,
  commit: string,
  parents: string[],
  message: string,
): Promise<string> {
  const unique = [...new Set(parents)];
  const joined = await gitText(
    repo,
    [
      "commit-tree",
      `${commit}^{tree}`,
      ...unique.flatMap((p) => ["-p", p]),
      "-m",
      message,
    ],
    { env: maosIdentity("maos") },
  );
  await git(repo, ["update-ref", "-m", message, ref, joined]);
  return joined;
}

/**
 * Commit everything in the worktree (untracked included, `exclude`
 * pathspecs not) on its branch, as `author`. Returns the new commit, or
 * null when there was nothing to commit.
 */
export async function commitAll(
  worktree: string,
  message: string,
  author: string,
  exclude: readonly string[] = [],
): Promise<string | null> {
  await git(worktree, ["add", "-A", "--", ".", ...exclude]);
  const staged = await git(worktree, ["diff", "--cached", "--quiet"], {
    allowFail: true,
  });
  if (staged.code === 0) return null;
  await git(worktree, ["commit", "--no-verify", "-q", "-m", message], {
    env: maosIdentity(author),
  });
  return await headCommit(worktree);
}

/**
 * Make the worktree's files exactly those of `commit` (tracked and
 * untracked; ignored files stay), keeping HEAD and the branch where they
 * are: the difference shows as uncommitted changes.
 */
export async function restoreFiles(
  worktree: string,
  commit: string,
): Promise<void> {
  // Remove what the target does not have, then write the target's files.
  await git(worktree, ["read-tree", "--reset", "-u", commit]);
  await git(worktree, ["clean", "-fdq"]);
  // Back to HEAD's index, so the restored files show as changes to it.
  await git(worktree, ["reset", "-q"]);
}
