/**
 * `maos orchestration merge`: the agents' branches merged into the user's
 * branch. The merging happens in a temporary worktree first, so a conflict
 * leaves the user's branch, files and the agents' branches as they were;
 * only a merge that went through moves the user's branch (fast-forward).
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { ExitCode, MaosError, usageError } from "../../store/errors.ts";
import { loadOrchestration } from "../../store/journal.ts";
import { inspectLock } from "../../store/lock.ts";
import type { MaosPaths } from "../../store/paths.ts";
import type { OrchestrationState } from "../../store/schema.ts";
import { git, gitText } from "../git/git.ts";
import { mergeBranch } from "../git/merge.ts";
import { currentBranch, isMerged, resolveCommit } from "../git/repo.ts";
import { listWorktrees, removeWorktree } from "../git/worktree.ts";
import { requireAgentOf, resolveOrchestrationId } from "../queries/choose.ts";
import { runningElsewhereError } from "../queries/running_elsewhere.ts";
import { foldEvent } from "../queries/state_fold.ts";
import { changedDir, withDirOf } from "../git/subtree.ts";
import { Workspace } from "./workspace.ts";
import { requireWorkInClone } from "./clone_check.ts";
import { discardedHeads } from "./discard.ts";
import { noBranchError, whyNoBranch } from "./missing_branch.ts";
import { blockedByChanges } from "./merge_blocked.ts";
import { unmergedFiles } from "./agent_files.ts";

export interface MergeBackOptions {
  /** The branch to merge into (default: the branch checked out where `.maos/` is). */
  into?: string;
  squash?: boolean;
  dryRun?: boolean;
  /** Only this agent's branch. */
  agent?: string;
}

export interface BranchMerge {
  agent: string;
  branch: string;
  /** Files the branch changes that `into` does not have yet. */
  files: string[];
  status: "merged" | "would merge" | "already merged" | "would conflict";
  /** Files a dry run found in conflict (status "would conflict"). */
  conflicts?: string[];
  /** The branch changed the project's `.maos/`, and the merge left that out. */
  maosLeftOut?: boolean;
  /** Discarded agents whose work this branch holds (merged into it for a task). */
  holdsDiscarded?: string[];
}

export interface MergeBackResult {
  id: string;
  into: string;
  dryRun: boolean;
  squash: boolean;
  /** The new commit of `into` (null in a dry run or when nothing was to merge). */
  commit: string | null;
  branches: BranchMerge[];
  /** Work in the agents' worktrees that is not committed on their branches (not merged). */
  uncommitted: { agent: string; files: string[] }[];
  /** Agents left out because their work was discarded or forced away (kept in `ref`). */
  skipped: { agent: string; kind: "discarded" | "forced"; ref: string }[];
  /** A dry run: your uncommitted files in `checkout` that the merge would overwrite (it would be refused). */
  blockedBy?: { checkout: string; files: string[] };
}

/** Merge every agent's branch of an orchestration into `into`. */
export async function mergeOrchestration(
  paths: MaosPaths,
  idPrefix: string,
  options: MergeBackOptions = {},
): Promise<MergeBackResult> {
  const id = resolveOrchestrationId(paths, idPrefix);
  const state = loadOrchestration(paths, id, foldEvent).state;
  if (!options.dryRun && inspectLock(paths.lock(id)).state === "live") {
    throw runningElsewhereError(
      paths,
      id,
      "its work cannot be merged now",
      "see what would merge with --dry-run",
    );
  }
  return await mergeState(path.dirname(paths.root), state, options);
}

/** The same, for an orchestration already loaded (`orchestrate --merge`). */
export async function mergeState(
  projectRoot: string,
  state: OrchestrationState,
  options: MergeBackOptions,
): Promise<MergeBackResult> {
  const id8 = state.id.slice(0, 8);
  const workspace = await Workspace.open(projectRoot, state);
  if (!workspace) {
    throw usageError(
      `orchestration ${id8} ran in the project directory itself (isolation: shared): there are no branches to merge`,
    );
  }
  const into = options.into ?? await currentBranch(projectRoot);
  if (!into) {
    throw usageError(
      "HEAD is detached here: say which branch to merge into",
      `maos orchestration merge ${id8} --into main`,
    );
  }
  const intoHead = await resolveCommit(projectRoot, `refs/heads/${into}`);
  if (!intoHead) throw usageError(`there is no branch '${into}' to merge into`);

  const result: MergeBackResult = {
    id: state.id,
    into,
    dryRun: Boolean(options.dryRun),
    squash: Boolean(options.squash),
    commit: null,
    branches: [],
    uncommitted: [],
    skipped: [],
  };
  const agents = agentsToMerge(state, options.agent);
  await requireWorkInClone(workspace, agents, "nothing was merged");
  /** Branch name → the commit merged for it (with `.maos/` as `into` has it). */
  const toMerge = new Map<string, string>();
  const discarded = await discardedHeads(workspace, state);
  for (const agent of agents) {
    const branch = workspace.branchOf(agent.id);
    const tip = await resolveCommit(projectRoot, `refs/heads/${branch}`);
    if (!tip) {
      // Gone: discarded, forced away, merged and cleaned up, or not in this clone.
      const why = await whyNoBranch(workspace, agent, intoHead);
      const error = noBranchError(
        workspace,
        agent.id,
        why,
        options.agent !== undefined,
      );
      if (error) throw error;
      if (why.kind === "discarded" || why.kind === "forced") {
        result.skipped.push({ agent: agent.id, kind: why.kind, ref: why.ref });
      }
      continue;
    }
    // DESIGN §4b: no merge changes the project's .maos/, whatever a branch did to it.
    const head = await changedDir(
        workspace.repo.root,
        tip,
        intoHead,
        workspace.maosDir,
      )
      ? await withDirOf(
        workspace.repo.root,
        tip,
        intoHead,
        workspace.maosDir,
        `maos: leave ${workspace.maosDir}/ out of ${branch} (it is never merged)`,
      )
      : tip;
    const holds: string[] = [];
    for (const [other, otherHead] of discarded) {
      if (
        !await isMerged(projectRoot, otherHead, intoHead) &&
        await isMerged(projectRoot, otherHead, tip)
      ) holds.push(other);
    }
    const files = await unmergedFiles(
      workspace.repo.root,
      intoHead,
      head,
      workspace.maosDir,
    );
    const merged = files.length === 0 ||
      await isMerged(projectRoot, head, intoHead);
    result.branches.push({
      agent: agent.id,
      branch,
      files: merged ? [] : files,
      status: merged
        ? "already merged"
        : options.dryRun
        ? "would merge"
        : "merged",
      ...(head !== tip ? { maosLeftOut: true } : {}),
      ...(holds.length && !merged ? { holdsDiscarded: holds } : {}),
    });
    if (!merged) toMerge.set(branch, head);
    const dirty = await workspace.uncommitted(agent.id);
    if (dirty.length > 0) {
      result.uncommitted.push({ agent: agent.id, files: dirty });
    }
  }
  if (toMerge.size === 0) return result;
  // Rejected work must not come back in through a branch that merged it.
  const carrying = result.branches.filter((b) => b.holdsDiscarded);
  if (carrying.length > 0 && !options.dryRun && options.agent === undefined) {
    throw new MaosError(
      carrying.map((b) =>
        `${b.branch} holds the discarded work of ${
          b.holdsDiscarded!.join(", ")
        }`
      ).join("; ") + "; nothing was merged",
      ExitCode.failed,
      `merge the others one by one (--agent), merge it anyway with --agent ${
        carrying[0].agent
      }, or discard it too`,
    );
  }
  const tips = await withoutContained(projectRoot, [...toMerge.keys()]);

  // Every branch merged in a scratch worktree: a conflict touches nothing of the user's.
  const scratch = path.join(
    workspace.worktreesRoot,
    `.merge-${randomBytes(4).toString("hex")}`,
  );
  await git(projectRoot, [
    "worktree",
    "add",
    "--detach",
    "-q",
    scratch,
    intoHead,
  ]);
  let merged: string;
  try {
    for (const branch of tips) {
      const outcome = await mergeBranch(scratch, toMerge.get(branch)!, {
        message: `Merge ${branch} (maos ${id8}: ${
          firstLine(state.request, 60)
        })`,
      });
      if (outcome.status !== "conflict") continue;
      const files = outcome.files.join(", ") || "(files git did not name)";
      if (options.dryRun) {
        // A dry run reports every conflict, and goes on with the others.
        const entry = result.branches.find((b) => b.branch === branch)!;
        entry.status = "would conflict";
        entry.conflicts = outcome.files;
        continue;
      }
      throw new MaosError(
        `merging ${branch} into ${into} conflicts in ${files}; nothing was changed`,
        ExitCode.failed,
        `merge it by hand (git merge ${branch}), or resolve it in the agent's worktree and run this again`,
      );
    }
    merged = await gitText(scratch, ["rev-parse", "HEAD"]);
  } finally {
    await removeWorktree(projectRoot, scratch, true).catch(() => {});
  }
  if (options.dryRun) {
    const blocked = await blockedByChanges(projectRoot, into, intoHead, merged);
    if (blocked) result.blockedBy = blocked;
    return result;
  }

  let target = merged;
  if (options.squash) {
    const names = [...toMerge.keys()].join(", ");
    target = await gitText(projectRoot, [
      "commit-tree",
      `${merged}^{tree}`,
      "-p",
      intoHead,
      "-m",
      `maos ${id8}: ${firstLine(state.request, 60)}\n\nSquashed ${names}`,
    ]);
  }
  await moveBranch(projectRoot, into, intoHead, target);
  result.commit = target;
  return result;
}

/** The agents whose branches a merge takes: all, or the one `--agent` names. */
function agentsToMerge(
  state: OrchestrationState,
  agent: string | undefined,
): OrchestrationState["agents"] {
  if (agent === undefined) return state.agents;
  return [requireAgentOf(state, agent)];
}

/**
 * Fast-forward `branch` to `target`: in the worktree that has it checked
 * out (its files follow, and uncommitted changes there are never
 * overwritten), else by moving the ref.
 */
async function moveBranch(
  repo: string,
  branch: string,
  from: string,
  target: string,
): Promise<void> {
  const checkout = (await listWorktrees(repo)).find((w) => w.branch === branch);
  if (!checkout) {
    await git(repo, ["update-ref", `refs/heads/${branch}`, target, from]);
    return;
  }
  const result = await git(
    checkout.path,
    ["merge", "--ff-only", "-q", target],
    {
      allowFail: true,
    },
  );
  if (result.code !== 0) {
    const files = result.stderr.split("\n").filter((l) => l.startsWith("\t"))
      .map((l) => l.trim());
    throw new MaosError(
      files.length
        ? `your uncommitted changes in ${checkout.path} (${
          files.join(", ")
        }) would be overwritten by the merge; nothing was changed`
        : `could not bring ${branch} in ${checkout.path} up to the merge: ${
          result.stderr.trim().split("\n")[0]
        }`,
      ExitCode.failed,
      "commit or stash them, then run the merge again",
    );
  }
}

/**
 * Branches whose work another of them already holds (a tester's branch
 * has the developer's merged in) need no merge of their own.
 */
async function withoutContained(
  repo: string,
  branches: string[],
): Promise<string[]> {
  const tips: string[] = [];
  for (const [i, branch] of branches.entries()) {
    let contained = false;
    for (const [j, other] of branches.entries()) {
      if (i === j || !await isMerged(repo, branch, other)) continue;
      // Two branches at the same commit: the first one stays.
      if (!(await isMerged(repo, other, branch)) || j < i) contained = true;
      if (contained) break;
    }
    if (!contained) tips.push(branch);
  }
  return tips;
}

function firstLine(text: string, max: number): string {
  const line = text.trim().split("\n")[0];
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
