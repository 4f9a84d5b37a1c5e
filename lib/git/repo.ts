/**
 * Typed helpers over the git CLI: where a repository is, its HEAD, its
 * branches and refs. Worktrees, saves and merges have their own files.
 *
 * @module
 */
import * as path from "node:path";
import { git, gitText } from "./git.ts";

export interface RepoInfo {
  /** The top of the working tree that holds `dir`. */
  root: string;
  /** The shared git directory (`.git` of the main checkout, also from a linked worktree). */
  commonDir: string;
}

/** The repository `dir` is in, or null when it is in none. */
export async function findRepo(dir: string): Promise<RepoInfo | null> {
  const result = await git(dir, [
    "rev-parse",
    "--show-toplevel",
    "--git-common-dir",
  ], { allowFail: true });
  if (result.code !== 0) return null;
  const [root, common] = result.stdout.split("\n");
  if (!root) return null; // inside a bare repository or .git itself
  return { root, commonDir: path.resolve(dir, common) };
}

/** The commit HEAD names, or null on a branch with no commit yet. */
export async function headCommit(dir: string): Promise<string | null> {
  return await resolveCommit(dir, "HEAD");
}

/** The commit a name (branch, ref, id) resolves to, or null when there is none. */
export async function resolveCommit(
  dir: string,
  name: string,
): Promise<string | null> {
  const result = await git(dir, [
    "rev-parse",
    "--verify",
    "--quiet",
    `${name}^{commit}`,
  ], { allowFail: true });
  return result.code === 0 ? result.stdout.trim() : null;
}

/** The tree of a commit, or null when the commit is not in this clone. */
export async function treeOf(
  dir: string,
  commit: string,
): Promise<string | null> {
  const result = await git(dir, [
    "rev-parse",
    "--verify",
    "--quiet",
    `${commit}^{tree}`,
  ], { allowFail: true });
  return result.code === 0 ? result.stdout.trim() : null;
}

/** The branch HEAD is on (short name), or null when detached. */
export async function currentBranch(dir: string): Promise<string | null> {
  const result = await git(
    dir,
    ["symbolic-ref", "--quiet", "--short", "HEAD"],
    {
      allowFail: true,
    },
  );
  return result.code === 0 ? result.stdout.trim() : null;
}

/**
 * Paths with uncommitted changes (staged, unstaged or untracked, not
 * ignored) in the working tree of `dir`, relative to its root.
 */
export async function dirtyPaths(dir: string): Promise<string[]> {
  const out = (await git(dir, [
    "status",
    "--porcelain",
    "-z",
    "--untracked-files=normal",
  ])).stdout;
  const paths: string[] = [];
  const fields = out.split("\0");
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i];
    if (entry.length < 4) continue;
    paths.push(entry.slice(3));
    // A rename's entry is followed by its old path.
    if (entry[0] === "R" || entry[0] === "C") i++;
  }
  return paths;
}

/** `paths` (from the repository's top) without those in `dir` or `dir` itself. */
export function outsideDir(paths: string[], dir: string): string[] {
  return paths.filter((p) => p !== dir && !p.startsWith(`${dir}/`));
}

/** Names of files that differ between two commits (or a commit and the working tree). */
export async function diffNames(
  dir: string,
  from: string,
  to?: string,
): Promise<string[]> {
  const args = ["diff", "--name-only", "--no-renames", "-z", from];
  if (to) args.push(to);
  return split0((await git(dir, args)).stdout);
}

/** Set `ref` to `commit` (creating it). */
export async function updateRef(
  dir: string,
  ref: string,
  commit: string,
  message = "maos",
): Promise<void> {
  await git(dir, ["update-ref", "-m", message, ref, commit]);
}

export async function deleteRef(dir: string, ref: string): Promise<void> {
  await git(dir, ["update-ref", "-d", ref], { allowFail: true });
}

/** Refs under `prefix` (e.g. `refs/maos/<id>/`) with the commits they name. */
export async function listRefs(
  dir: string,
  prefix: string,
): Promise<Map<string, string>> {
  const out = await gitText(dir, [
    "for-each-ref",
    "--format=%(refname) %(objectname)",
    prefix,
  ]);
  const refs = new Map<string, string>();
  for (const line of out.split("\n")) {
    const [ref, commit] = line.split(" ");
    if (ref && commit) refs.set(ref, commit);
  }
  return refs;
}

/** True when every commit of `commit` is already in `into`. */
export async function isMerged(
  dir: string,
  commit: string,
  into: string,
): Promise<boolean> {
  const result = await git(dir, ["merge-base", "--is-ancestor", commit, into], {
    allowFail: true,
  });
  return result.code === 0;
}

export function split0(text: string): string[] {
  return text.split("\0").filter((s) => s !== "");
}
