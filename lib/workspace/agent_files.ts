/**
 * What each agent's branch holds, for `status` and `merge`: the files it
 * changed, those the user's branch does not have yet, and the work not
 * committed in its worktree.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { AgentView, OrchestrationStatus } from "../queries/queries.ts";
import { git } from "../git/git.ts";
import {
  currentBranch,
  diffNames,
  outsideDir,
  resolveCommit,
  split0,
} from "../git/repo.ts";
import { discardedRef, filesRef } from "./names.ts";
import { Workspace } from "./workspace.ts";

/**
 * Files the branch at `head` changed since it left `into` whose content
 * `into` does not have: empty once it is merged (squashed too). `top` is
 * the repository's top directory (the names are pathspecs from there).
 * `leaveOut` (the project's `.maos/`, which no merge takes) never counts.
 */
export async function unmergedFiles(
  top: string,
  into: string,
  head: string,
  leaveOut?: string,
): Promise<string[]> {
  const all = await diffNames(top, `${into}...${head}`);
  const changed = leaveOut ? outsideDir(all, leaveOut) : all;
  if (changed.length === 0) return [];
  const out = await git(top, [
    "diff",
    "--name-only",
    "--no-renames",
    "-z",
    into,
    head,
    "--",
    ...changed,
  ], { env: { GIT_LITERAL_PATHSPECS: "1" } });
  return split0(out.stdout);
}

/**
 * `status` with each agent's branch, worktree, and changed, unmerged
 * (not in the branch checked out here) and uncommitted files.
 */
export async function withAgentFiles(
  projectRoot: string,
  status: OrchestrationStatus,
): Promise<OrchestrationStatus> {
  const workspace = await Workspace.open(projectRoot, {
    id: status.id,
    isolation: status.isolation,
  });
  if (!workspace) return status;
  const into = await currentBranch(projectRoot);
  const intoHead = into
    ? await resolveCommit(projectRoot, `refs/heads/${into}`)
    : null;
  const agents: AgentView[] = [];
  for (const agent of status.agents) {
    const branch = workspace.branchOf(agent.id);
    const head = await resolveCommit(projectRoot, `refs/heads/${branch}`);
    const worktree = workspace.worktreeOf(agent.id);
    const hasWorktree = fs.existsSync(path.join(worktree, ".git"));
    const discarded = await resolveCommit(
        projectRoot,
        discardedRef(status.id, agent.id),
      )
      ? discardedRef(status.id, agent.id)
      : null;
    const gone = !head && !hasWorktree && !discarded;
    const started = status.tasks.some((t) =>
      t.agent === agent.id && (t.starts ?? (t.status === "pending" ? 0 : 1)) > 0
    );
    agents.push({
      ...agent,
      branch,
      branchRemoved: !head && !hasWorktree,
      worktree: hasWorktree ? worktree : null,
      discarded,
      ...(gone && !started ? { notStarted: true } : {}),
      // Its saved files are not here either: the work is in another clone.
      ...(gone && started &&
          !await resolveCommit(projectRoot, filesRef(status.id, agent.id))
        ? { notInClone: true }
        : {}),
      changedFiles: head
        ? outsideDir(
          await diffNames(projectRoot, workspace.base, head),
          workspace.maosDir,
        )
        : [],
      unmergedFiles: head && intoHead
        ? await unmergedFiles(
          workspace.repo.root,
          intoHead,
          head,
          workspace.maosDir,
        )
        : [],
      uncommittedFiles: await workspace.uncommitted(agent.id),
    });
  }
  return { ...status, agents };
}
