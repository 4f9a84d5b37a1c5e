/**
 * The files side of `maos recover restore`: a rewind brings every agent's
 * worktree back to the checkpoint's files commit (the files as they are go
 * to the agent's files ref first, so nothing is lost); a fork gets worktrees
 * of its own at those files; a dry run lists what would change.
 *
 * @module
 */
import { worktreeReady } from "../git/worktree.ts";
import type { Journal } from "../../store/journal.ts";
import type { AgentState, OrchestrationState } from "../../store/schema.ts";
import { git } from "../git/git.ts";
import { joinFiles, restoreFiles, worktreeTree } from "../git/files_commit.ts";
import {
  diffNames,
  headCommit,
  isMerged,
  resolveCommit,
  treeOf,
} from "../git/repo.ts";
import { FETCH_HINT, filesRef, Workspace } from "./workspace.ts";
import { MaosError } from "../../store/errors.ts";

/** What a restore does (or would do) to one agent's files. */
export interface FilesChange {
  agent: string;
  /** The files commit the agent gets (its branch start when the checkpoint has none). */
  commit: string;
  /** Files that differ between its worktree now and that commit. */
  changed: string[];
}

/** Where the agent's files go back to: its saved files, else the orchestration's base. */
function targetOf(
  agent: AgentState | undefined,
  target: OrchestrationState,
): { commit: string; head: string } | null {
  const base = target.isolation?.base;
  if (!base) return null;
  const files = agent?.files;
  return files
    ? { commit: files.commit, head: files.head ?? base }
    : { commit: base, head: base };
}

/** Dry run: the files each agent's worktree would change to reach `target`. */
export async function previewFilesRestore(
  projectRoot: string,
  current: OrchestrationState,
  target: OrchestrationState,
): Promise<FilesChange[]> {
  const workspace = await Workspace.open(projectRoot, current);
  if (!workspace) return [];
  const changes: FilesChange[] = [];
  for (const agent of current.agents) {
    const goal = targetOf(target.agents.find((a) => a.id === agent.id), target);
    const dir = workspace.worktreeOf(agent.id);
    if (!goal || !worktreeReady(dir)) continue;
    const goalTree = await requireTree(dir, goal.commit, agent.id);
    const nowTree = await worktreeTree(dir, await workspace.keepOut(agent.id));
    changes.push({
      agent: agent.id,
      commit: goal.commit,
      changed: nowTree === goalTree
        ? []
        : await diffNames(dir, nowTree, goalTree),
    });
  }
  return changes;
}

/**
 * Rewind: save each agent's files as they are (an `agent.files` event,
 * reason "before restore"), then call `rewind` (which appends the
 * checkpoint.restored event), then put each worktree's branch and files back.
 */
export async function restoreAgentFiles(
  projectRoot: string,
  journal: Journal,
  target: OrchestrationState,
  rewind: () => void,
): Promise<FilesChange[]> {
  const workspace = await Workspace.open(projectRoot, journal.state);
  if (!workspace) {
    rewind();
    return [];
  }
  const current = journal.state;
  // Check every target is here before anything changes.
  for (const agent of current.agents) {
    const goal = targetOf(target.agents.find((a) => a.id === agent.id), target);
    if (goal) await requireTree(workspace.repo.root, goal.commit, agent.id);
  }
  const nowTrees = new Map<string, string>();
  /** Each files ref's commit before the rewind (the "before restore" save). */
  const tips = new Map<string, string>();
  for (const agent of current.agents) {
    const saved = await workspace.saveFiles(
      agent.id,
      "before restore",
      () => agent.files,
      (files) =>
        journal.append({
          type: "agent.files",
          agent: agent.id,
          commit: files.commit,
          head: files.head,
          reason: "before restore",
        }),
    );
    const dir = workspace.worktreeOf(agent.id);
    if (saved || agent.files) {
      const tree = await treeOf(dir, (saved ?? agent.files)!.commit);
      if (tree) nowTrees.set(agent.id, tree);
    }
    const tip = await resolveCommit(
      workspace.repo.root,
      filesRef(current.id, agent.id),
    );
    if (tip) tips.set(agent.id, tip);
  }
  rewind();
  // The files refs go back to the checkpoint's files too, still holding
  // what they held: the next save builds on the checkpoint's commit, and
  // without this the files as they were before the restore would be left
  // to git's gc.
  for (const agent of current.agents) {
    const goal = targetOf(target.agents.find((a) => a.id === agent.id), target);
    const tip = tips.get(agent.id);
    if (
      !goal || !tip || await isMerged(workspace.repo.root, tip, goal.commit)
    ) continue;
    const commit = await joinFiles(
      workspace.repo.root,
      filesRef(current.id, agent.id),
      goal.commit,
      [goal.head, goal.commit, tip],
      `maos files: ${agent.id} (restore)`,
    );
    journal.append({
      type: "agent.files",
      agent: agent.id,
      commit,
      head: goal.head,
      reason: "restore",
    });
  }
  const changes: FilesChange[] = [];
  for (const agent of current.agents) {
    const goal = targetOf(target.agents.find((a) => a.id === agent.id), target);
    const dir = workspace.worktreeOf(agent.id);
    // A missing worktree is made at the restored files when it resumes.
    if (!goal || !worktreeReady(dir)) continue;
    const goalTree = (await treeOf(dir, goal.commit))!;
    const nowTree = nowTrees.get(agent.id);
    if ((await headCommit(dir)) !== goal.head) {
      // The branch goes back too; its later commits stay reachable from the files ref.
      await git(dir, ["reset", "-q", goal.head]);
    }
    await restoreFiles(dir, goal.commit);
    changes.push({
      agent: agent.id,
      commit: goal.commit,
      changed: nowTree && nowTree !== goalTree
        ? await diffNames(dir, nowTree, goalTree)
        : [],
    });
  }
  return changes;
}

/** Fork: the new orchestration's worktrees, made at the checkpoint's files. */
export async function forkAgentFiles(
  projectRoot: string,
  forked: OrchestrationState,
): Promise<FilesChange[]> {
  const workspace = await Workspace.open(projectRoot, forked);
  if (!workspace) return [];
  const changes: FilesChange[] = [];
  for (const agent of forked.agents) {
    const goal = targetOf(agent, forked);
    if (!goal) continue;
    await requireTree(workspace.repo.root, goal.commit, agent.id);
    await workspace.ensure(agent);
    // Its own files ref from the start: the original's refs may go (remove).
    const ref = filesRef(forked.id, agent.id);
    if (agent.files && !await resolveCommit(workspace.repo.root, ref)) {
      await git(workspace.repo.root, ["update-ref", ref, agent.files.commit]);
    }
    changes.push({ agent: agent.id, commit: goal.commit, changed: [] });
  }
  return changes;
}

async function requireTree(
  dir: string,
  commit: string,
  agent: string,
): Promise<string> {
  const tree = await resolveCommit(dir, commit) && await treeOf(dir, commit);
  if (!tree) {
    throw new MaosError(
      `${agent}'s files of the checkpoint (commit ${
        commit.slice(0, 12)
      }) are not in this clone`,
      1,
      FETCH_HINT,
    );
  }
  return tree;
}
