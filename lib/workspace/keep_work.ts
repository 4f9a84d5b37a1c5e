/**
 * Before maos removes an agent's worktree or branch on purpose (discard,
 * `--force`): one commit on a ref of its own that holds everything they
 * had — the worktree's files as they are (uncommitted ones too), with the
 * branch head, the saved files and what the ref held before as parents —
 * so DESIGN §4b's "never deleted without a ref that still holds it" holds.
 *
 * @module
 */
import { worktreeReady } from "../git/worktree.ts";
import { gitText, maosIdentity } from "../git/git.ts";
import { worktreeTree } from "../git/files_commit.ts";
import { resolveCommit, treeOf, updateRef } from "../git/repo.ts";
import { filesRef } from "./names.ts";
import type { Workspace } from "./workspace.ts";

/** The kept commit on `ref`, or null when the agent had nothing here to keep. */
export async function keepWork(
  workspace: Workspace,
  agent: string,
  ref: string,
  message: string,
): Promise<string | null> {
  const repo = workspace.repo.root;
  const dir = workspace.worktreeOf(agent);
  const hasDir = worktreeReady(dir);
  const parents: string[] = [];
  for (
    const name of [
      `refs/heads/${workspace.branchOf(agent)}`,
      filesRef(workspace.id, agent),
      ref,
    ]
  ) {
    const commit = await resolveCommit(repo, name);
    if (commit && !parents.includes(commit)) parents.push(commit);
  }
  const tree = hasDir
    ? await worktreeTree(dir, await workspace.keepOut(agent))
    : parents.length
    ? await treeOf(repo, parents[0])
    : null;
  if (!tree) return null;
  const commit = await gitText(repo, [
    "commit-tree",
    tree,
    ...parents.flatMap((p) => ["-p", p]),
    "-m",
    message,
  ], { env: maosIdentity("maos") });
  await updateRef(repo, ref, commit, message);
  return commit;
}
