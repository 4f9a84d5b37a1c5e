/**
 * Removing agents' worktrees and branches (`recover cleanup`,
 * `orchestration remove`): never work that is not merged into the branch
 * checked out here, or not committed, unless forced. The files refs
 * (`refs/maos/<id>/*`) stay while a checkpoint may name their commits.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadOrchestration } from "../../store/journal.ts";
import { inspectLock } from "../../store/lock.ts";
import type { MaosPaths } from "../../store/paths.ts";
import type { OrchestrationState } from "../../store/schema.ts";
import { foldEvent } from "../queries/state_fold.ts";
import { git } from "../git/git.ts";
import {
  currentBranch,
  deleteRef,
  listRefs,
  resolveCommit,
} from "../git/repo.ts";
import { deleteBranch, removeWorktree } from "../git/worktree.ts";
import { unmergedFiles } from "./agent_files.ts";
import { keepWork } from "./keep_work.ts";
import { forcedRef } from "./names.ts";
import { Workspace } from "./workspace.ts";

export interface PruneEntry {
  id: string;
  agent: string;
  branch: string;
  action: "removed" | "would remove" | "kept";
  /** Why it was kept: the work that is not merged or not committed. */
  reason?: string;
  /** With --force, where that work went first (`refs/maos/<id>/<agent>.forced`). */
  savedTo?: string;
}

export interface PruneOptions {
  force?: boolean;
  dryRun?: boolean;
  /** Also delete refs/maos/<id>/* (the orchestration itself is going away). */
  deleteRefs?: boolean;
}

/** Remove the worktrees and branches of one orchestration's agents. */
export async function pruneAgentFiles(
  projectRoot: string,
  state: Pick<OrchestrationState, "id" | "isolation" | "agents">,
  options: PruneOptions = {},
): Promise<PruneEntry[]> {
  const workspace = await Workspace.open(projectRoot, state);
  if (!workspace) return [];
  const repo = workspace.repo.root;
  const into = await currentBranch(projectRoot);
  const intoHead = into
    ? await resolveCommit(projectRoot, `refs/heads/${into}`)
    : null;
  const entries: PruneEntry[] = [];
  for (const agent of state.agents) {
    const branch = workspace.branchOf(agent.id);
    const head = await resolveCommit(repo, `refs/heads/${branch}`);
    const dir = workspace.worktreeOf(agent.id);
    const hasDir = fs.existsSync(path.join(dir, ".git"));
    if (!head && !hasDir) continue;
    const unmerged = head
      ? intoHead
        ? await unmergedFiles(repo, intoHead, head, workspace.maosDir)
        : ["(no branch checked out here)"]
      : [];
    const dirty = await workspace.uncommitted(agent.id);
    const entry: PruneEntry = {
      id: state.id,
      agent: agent.id,
      branch,
      action: options.dryRun ? "would remove" : "removed",
    };
    if ((unmerged.length || dirty.length) && !options.force) {
      entry.action = "kept";
      entry.reason = [
        unmerged.length ? `not merged into ${into}: ${list(unmerged)}` : "",
        dirty.length ? `uncommitted: ${list(dirty)}` : "",
      ].filter(Boolean).join("; ");
    } else if (!options.dryRun) {
      if (unmerged.length || dirty.length) {
        // Forced: what would be lost goes to a ref of its own first.
        const ref = forcedRef(state.id, agent.id);
        if (
          await keepWork(
            workspace,
            agent.id,
            ref,
            `maos: ${agent.id}'s work in ${
              state.id.slice(0, 8)
            }, kept before a forced removal`,
          )
        ) entry.savedTo = ref;
      }
      if (hasDir) await removeWorktree(repo, dir, true);
      if (head) await deleteBranch(repo, branch);
    }
    entries.push(entry);
  }
  const kept = entries.some((e) => e.action === "kept");
  if (!options.dryRun && !kept) {
    await git(repo, ["worktree", "prune"], { allowFail: true });
    fs.rmSync(workspace.worktreesRoot, {
      recursive: true,
      force: true,
    });
    if (options.deleteRefs) {
      const refs = await listRefs(repo, `refs/maos/${state.id}/`);
      for (const ref of refs.keys()) {
        // What discard and --force kept is the user's to delete.
        if (!/\.(forced|discarded)$/.test(ref)) await deleteRef(repo, ref);
      }
    }
  }
  return entries;
}

function list(files: string[]): string {
  return files.slice(0, 5).join(", ") + (files.length > 5 ? ", …" : "");
}

/**
 * `recover cleanup`: the worktrees and branches of completed
 * orchestrations whose work is merged (all of them with `force`).
 */
export async function pruneFinishedWorktrees(
  paths: MaosPaths,
  options: PruneOptions = {},
): Promise<PruneEntry[]> {
  const entries: PruneEntry[] = [];
  for (const id of paths.listOrchestrationIds()) {
    let state: OrchestrationState;
    try {
      state = loadOrchestration(paths, id, foldEvent).state;
    } catch {
      continue; // damaged: doctor's business
    }
    if (state.status !== "completed" || state.isolation?.mode !== "worktree") {
      continue;
    }
    if (inspectLock(paths.lock(id)).state === "live") continue;
    entries.push(
      ...await pruneAgentFiles(path.dirname(paths.root), state, {
        force: options.force,
        dryRun: options.dryRun,
      }),
    );
  }
  return entries;
}
