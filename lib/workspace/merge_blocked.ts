/**
 * Would the user's own uncommitted changes stop a merge? The merge moves
 * `into` in the worktree that has it checked out, and git refuses when a
 * file it brings is changed (or untracked) there: a dry run says so
 * instead of promising a merge that will be refused.
 *
 * @module
 */
import { diffNames, dirtyPaths } from "../git/repo.ts";
import { listWorktrees } from "../git/worktree.ts";

/** Where `into` is checked out and which of its uncommitted files the merge to `merged` would overwrite (null: none). */
export async function blockedByChanges(
  repo: string,
  into: string,
  intoHead: string,
  merged: string,
): Promise<{ checkout: string; files: string[] } | null> {
  const checkout = (await listWorktrees(repo)).find((w) => w.branch === into);
  if (!checkout || merged === intoHead) return null;
  const brought = new Set(await diffNames(repo, intoHead, merged));
  const files = (await dirtyPaths(checkout.path)).filter((f) => brought.has(f));
  return files.length > 0 ? { checkout: checkout.path, files } : null;
}
