/**
 * `maos orchestration discard ID --agent A`: one agent's work rejected.
 * Its worktree and branch go; a ref, `refs/maos/<id>/<agent>.discarded`,
 * keeps everything they held (the branch's commits and the worktree's
 * files as they were, uncommitted ones too), so nothing is lost.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { MaosError } from "../../store/errors.ts";
import { loadOrchestration } from "../../store/journal.ts";
import { inspectLock } from "../../store/lock.ts";
import type { MaosPaths } from "../../store/paths.ts";
import type { OrchestrationState } from "../../store/schema.ts";
import { git } from "../git/git.ts";
import { resolveCommit } from "../git/repo.ts";
import { deleteBranch, removeWorktree } from "../git/worktree.ts";
import { requireAgentOf, resolveOrchestrationId } from "../queries/choose.ts";
import { runningElsewhereError } from "../queries/running_elsewhere.ts";
import { foldEvent } from "../queries/state_fold.ts";
import { keepWork } from "./keep_work.ts";
import { discardedRef } from "./names.ts";
import { Workspace } from "./workspace.ts";

export interface DiscardResult {
  id: string;
  agent: string;
  branch: string;
  /** The ref that keeps the work, and its commit (null: there was nothing to keep). */
  ref: string | null;
  commit: string | null;
  worktreeRemoved: boolean;
  branchRemoved: boolean;
}

export async function discardAgent(
  paths: MaosPaths,
  idPrefix: string,
  agent: string,
): Promise<DiscardResult> {
  const id = resolveOrchestrationId(paths, idPrefix);
  if (inspectLock(paths.lock(id)).state === "live") {
    throw runningElsewhereError(
      paths,
      id,
      "its agents' work cannot be discarded now",
      "discard it once the orchestration paused or ended",
    );
  }
  const state = loadOrchestration(paths, id, foldEvent).state;
  requireAgentOf(state, agent);
  const workspace = await Workspace.open(path.dirname(paths.root), state);
  if (!workspace) {
    throw new MaosError(
      `orchestration ${
        id.slice(0, 8)
      } ran in the project directory itself (isolation: shared): there is no branch to discard`,
      2,
    );
  }
  const repo = workspace.repo.root;
  const branch = workspace.branchOf(agent);
  const head = await resolveCommit(repo, `refs/heads/${branch}`);
  const dir = workspace.worktreeOf(agent);
  const hasDir = fs.existsSync(path.join(dir, ".git"));
  const ref = discardedRef(id, agent);
  const commit = await keepWork(
    workspace,
    agent,
    ref,
    `maos: ${agent}'s work in ${id.slice(0, 8)}, discarded`,
  );
  if (hasDir) await removeWorktree(repo, dir, true);
  if (head) await deleteBranch(repo, branch);
  await git(repo, ["worktree", "prune"], { allowFail: true });
  return {
    id,
    agent,
    branch,
    ref: commit ? ref : null,
    commit,
    worktreeRemoved: hasDir,
    branchRemoved: head !== null,
  };
}

/**
 * The branch head each discarded agent had (its kept commit's first
 * parent), for the agents of `state` that were discarded: a branch that
 * merged it in for a task holds that rejected work too.
 */
export async function discardedHeads(
  workspace: Workspace,
  state: Pick<OrchestrationState, "id" | "agents">,
): Promise<Map<string, string>> {
  const heads = new Map<string, string>();
  for (const agent of state.agents) {
    const ref = discardedRef(state.id, agent.id);
    const parent = await resolveCommit(workspace.repo.root, `${ref}^1`);
    if (parent) heads.set(agent.id, parent);
  }
  return heads;
}
