/**
 * `--isolation worktree|shared` at the start of an orchestration: worktree
 * is the default in a git repository with a commit; outside one, the
 * agents share the project directory and the start says so.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { MaosError, usageError } from "../../store/errors.ts";
import type { Isolation } from "../../store/schema.ts";
import { requireGit } from "../git/git.ts";
import { dirtyPaths, findRepo, headCommit } from "../git/repo.ts";

export interface IsolationChoice {
  mode: Isolation;
  /** The commit the agents' branches start from (worktree only). */
  base: string | null;
  /** Lines for the start: why shared, what the agents cannot see. */
  notes: string[];
}

/**
 * Decide how the agents of a new orchestration in `projectRoot` keep their
 * files, given `--isolation` (undefined: the default). `maosDir` is left out
 * of the uncommitted changes it reports.
 */
export async function chooseIsolation(
  projectRoot: string,
  maosDir: string,
  requested: Isolation | undefined,
): Promise<IsolationChoice> {
  if (requested === "shared") return { mode: "shared", base: null, notes: [] };
  const explicit = requested === "worktree";
  const shared = (why: string, hint: string): IsolationChoice => {
    if (explicit) throw usageError(`--isolation worktree: ${why}`, hint);
    return {
      mode: "shared",
      base: null,
      notes: [`📁 ${why}: the agents share ${projectRoot} (isolation: shared)`],
    };
  };
  let repo;
  try {
    await requireGit();
    repo = await findRepo(projectRoot);
  } catch (err) {
    if (explicit || !(err instanceof MaosError)) throw err;
    // In a repository the default is worktrees: quietly sharing would let
    // the agents edit the user's own working tree.
    if (insideGitRepo(projectRoot)) {
      throw new MaosError(
        `${err.message}, and ${projectRoot} is in a git repository: the agents cannot get worktrees of their own`,
        err.code,
        "install git (or put it on PATH), or let the agents share your working tree with --isolation shared",
      );
    }
    return shared(err.message, "");
  }
  if (!repo) {
    return shared(
      "not a git repository",
      "run `git init` and commit, or use --isolation shared",
    );
  }
  const base = await headCommit(repo.root);
  if (!base) {
    return shared(
      "the repository has no commit yet",
      "make a first commit, or use --isolation shared",
    );
  }
  const notes = [
    `🌳 Each agent works in its own git worktree, on branch maos/<id8>/<agent> from ${
      base.slice(0, 8)
    }`,
  ];
  const maosRel = path.relative(repo.root, maosDir);
  const dirty = (await dirtyPaths(repo.root)).filter((p) =>
    p !== maosRel && p !== `${maosRel}/` && !p.startsWith(`${maosRel}/`)
  );
  if (dirty.length > 0) {
    const shown = dirty.slice(0, 3).join(", ") +
      (dirty.length > 3 ? ", …" : "");
    notes.push(
      dirty.length === 1
        ? `⚠️ 1 uncommitted change in your working tree (${shown}) is not visible to the agents: commit it first, or use --isolation shared`
        : `⚠️ ${dirty.length} uncommitted changes in your working tree (${shown}) are not visible to the agents: commit them first, or use --isolation shared`,
    );
  }
  return { mode: "worktree", base, notes };
}

/** A `.git` (directory or file) here or above: a repository, told without git. */
function insideGitRepo(dir: string): boolean {
  for (let d = path.resolve(dir);; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, ".git"))) return true;
    if (path.dirname(d) === d) return false;
  }
}
