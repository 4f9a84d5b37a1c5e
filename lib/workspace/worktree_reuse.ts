/**
 * An agent's worktree that is already there: used as it is (a crash
 * leaves the agent's half-done edits in it), reattached when git forgot
 * it, cleared when `git worktree add` never finished.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { MaosError } from "../../store/errors.ts";
import { git } from "../git/git.ts";
import { removeStaleIndexes } from "../git/files_commit.ts";
import { isSparse, leaveOut } from "../git/sparse.ts";
import { listWorktrees, removeWorktree } from "../git/worktree.ts";

/**
 * True when `dir` is a working worktree (made ready to use again); false
 * when there is none; an error when it is there but no longer git's.
 */
export async function reuseWorktree(
  repo: string,
  dir: string,
  maosDir: string,
  agent: string,
): Promise<boolean> {
  if (!fs.existsSync(path.join(dir, ".git"))) return false;
  const top = await git(dir, ["rev-parse", "--show-toplevel"], {
    allowFail: true,
  });
  if (top.code !== 0) {
    // Its admin files in .git/worktrees were pruned: reattach it.
    await git(repo, ["worktree", "repair", dir], { allowFail: true });
    const again = await git(dir, ["rev-parse", "--show-toplevel"], {
      allowFail: true,
    });
    if (again.code !== 0) {
      throw new MaosError(
        `the worktree of ${agent} (${dir}) is no longer a git worktree`,
        1,
        "run: maos doctor --repair",
      );
    }
  }
  await removeStaleIndexes(dir);
  // A worktree made before .maos/ was left out loses its copy now.
  if (!await isSparse(dir)) await leaveOut(dir, [maosDir]);
  return true;
}

/**
 * A crash during `git worktree add` leaves a worktree locked
 * "initializing" (or a directory without `.git`): no agent has worked in
 * it yet, so it is removed (a directory is moved aside) and made again.
 */
export async function clearUnfinished(
  repo: string,
  dir: string,
): Promise<void> {
  if (!fs.existsSync(dir)) return;
  const entry = (await listWorktrees(repo)).find((w) => w.path === dir);
  if (entry?.lockReason === "initializing") {
    await removeWorktree(repo, dir, true);
  } else if (!fs.existsSync(path.join(dir, ".git"))) {
    fs.renameSync(dir, `${dir}.unfinished-${Date.now()}`);
  }
}
