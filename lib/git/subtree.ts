/**
 * One directory of a commit's tree swapped for another commit's: how a
 * merge keeps a directory exactly as it is on the branch merged into.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { git, gitText, maosIdentity } from "./git.ts";

/** The tree (or blob) at `dir` in `commit`, or null when it has none. */
export async function entryAt(
  repo: string,
  commit: string,
  dir: string,
): Promise<string | null> {
  const r = await git(repo, [
    "rev-parse",
    "--verify",
    "--quiet",
    `${commit}:${dir}`,
  ], {
    allowFail: true,
  });
  return r.code === 0 ? r.stdout.trim() : null;
}

/**
 * Did `commit` change `dir` since it left `into` (their merge base)? A
 * branch that did not leaves it to the merge to take `into`'s.
 */
export async function changedDir(
  repo: string,
  commit: string,
  into: string,
  dir: string,
): Promise<boolean> {
  const base = await git(repo, ["merge-base", into, commit], {
    allowFail: true,
  });
  const from = base.code === 0 ? base.stdout.trim() : null;
  const before = from ? await entryAt(repo, from, dir) : null;
  return await entryAt(repo, commit, dir) !== before;
}

/**
 * A commit on top of `commit` whose tree has `dir` as `source` has it
 * (gone when `source` has none), or `commit` itself when they already agree.
 */
export async function withDirOf(
  repo: string,
  commit: string,
  source: string,
  dir: string,
  message: string,
): Promise<string> {
  const want = await entryAt(repo, source, dir);
  if (await entryAt(repo, commit, dir) === want) return commit;
  const index = path.join(
    os.tmpdir(),
    `maos-subtree-${process.pid}-${randomBytes(4).toString("hex")}.index`,
  );
  const env = { GIT_INDEX_FILE: index };
  try {
    await git(repo, ["read-tree", commit], { env });
    await git(repo, [
      "rm",
      "-r",
      "-q",
      "-f",
      "--cached",
      "--ignore-unmatch",
      "--",
      dir,
    ], {
      env: { ...env, GIT_LITERAL_PATHSPECS: "1" },
    });
    if (want) await git(repo, ["read-tree", `--prefix=${dir}/`, want], { env });
    const tree = await gitText(repo, ["write-tree"], { env });
    return await gitText(
      repo,
      ["commit-tree", tree, "-p", commit, "-m", message],
      { env: maosIdentity("maos") },
    );
  } finally {
    fs.rmSync(index, { force: true });
  }
}
