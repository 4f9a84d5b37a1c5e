/**
 * `maos doctor`'s look at the agents' worktrees and refs: a missing or
 * locked worktree, a missing branch, a branch moved by hand, a saved files
 * commit this clone lacks. `repair` fixes what it can without losing work.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Finding } from "../../store/doctor.ts";
import { loadOrchestration } from "../../store/journal.ts";
import type { MaosPaths } from "../../store/paths.ts";
import type { OrchestrationState } from "../../store/schema.ts";
import { joinFiles } from "../git/files_commit.ts";
import { git } from "../git/git.ts";
import { currentBranch, isMerged, resolveCommit } from "../git/repo.ts";
import {
  listWorktrees,
  type WorktreeEntry,
  worktreeReady,
} from "../git/worktree.ts";
import { unmergedFiles } from "./agent_files.ts";
import { foldEvent } from "../queries/state_fold.ts";
import { FETCH_HINT, filesRef, Workspace } from "./workspace.ts";
import { discardedRef } from "./names.ts";
import { isSparse, leaveOut } from "../git/sparse.ts";

/** Findings about the worktrees of every orchestration of `paths` that uses them. */
export async function checkWorktrees(
  paths: MaosPaths,
  repair: boolean,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const projectRoot = path.dirname(paths.root);
  for (const id of paths.listOrchestrationIds()) {
    let state: OrchestrationState;
    try {
      state = loadOrchestration(paths, id, foldEvent).state;
    } catch {
      continue; // the store's own checks report it
    }
    if (state.isolation?.mode !== "worktree") continue;
    try {
      findings.push(...await checkOne(projectRoot, state, repair));
    } catch (err) {
      findings.push({
        level: "error",
        file: `orchestration ${id.slice(0, 8)}`,
        message: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return findings;
}

async function checkOne(
  projectRoot: string,
  state: OrchestrationState,
  repair: boolean,
): Promise<Finding[]> {
  const workspace = (await Workspace.open(projectRoot, state))!;
  const repo = workspace.repo.root;
  const findings: Finding[] = [];
  const id8 = state.id.slice(0, 8);
  if (!await resolveCommit(repo, workspace.base)) {
    findings.push({
      level: "error",
      file: `orchestration ${id8}`,
      message: `its start commit ${
        workspace.base.slice(0, 12)
      } is not in this clone; ${FETCH_HINT}`,
    });
    return findings;
  }
  const worktrees = await listWorktrees(repo);
  for (const agent of state.agents) {
    const branch = workspace.branchOf(agent.id);
    const dir = workspace.worktreeOf(agent.id);
    const label = path.relative(projectRoot, dir) || dir;
    const saved = agent.files;
    const head = await resolveCommit(repo, `refs/heads/${branch}`);
    const entry: WorktreeEntry | undefined = worktrees.find((w) =>
      w.path === dir
    );
    const started = Boolean(saved || head || entry);
    if (!started) continue;
    if (saved && !await resolveCommit(repo, saved.commit)) {
      findings.push({
        level: "error",
        file: label,
        message: `${agent.id}'s saved files (commit ${
          saved.commit.slice(0, 12)
        }) are not in this clone; ${FETCH_HINT}`,
      });
      continue;
    }
    if (saved) {
      const finding = await checkFilesRef(
        repo,
        filesRef(state.id, agent.id),
        saved,
        repair,
      );
      if (finding) findings.push({ ...finding, file: label });
    }
    // `orchestration discard` removed them on purpose; a ref keeps the work.
    if (
      !head && !fs.existsSync(path.join(dir, ".git")) &&
      await resolveCommit(repo, discardedRef(state.id, agent.id))
    ) continue;
    // `recover cleanup` removes a completed orchestration's worktrees and
    // branches once their work is merged here: nothing to resume needs them,
    // and the files ref stays. Unmerged work gone is still reported.
    if (
      !head && !entry && state.status === "completed" &&
      !fs.existsSync(path.join(dir, ".git")) &&
      await mergedHere(projectRoot, repo, saved?.head ?? workspace.base)
    ) continue;
    if (!head) {
      const at = saved?.head ?? workspace.base;
      const finding: Finding = {
        level: "error",
        file: label,
        message: `branch ${branch} is missing${
          repair ? "" : ` (repair makes it again at ${at.slice(0, 8)})`
        }`,
      };
      if (repair && !entry) {
        await git(repo, ["branch", branch, at]);
        finding.repaired = true;
      }
      findings.push(finding);
    } else if (saved?.head && !await isMerged(repo, saved.head, head)) {
      findings.push({
        level: "warning",
        file: label,
        message:
          `branch ${branch} was moved by hand: it no longer holds ${agent.id}'s last recorded commit ${
            saved.head.slice(0, 8)
          } (still in refs/maos/${state.id}/${agent.id})`,
      });
    }
    if (entry?.lockReason === "initializing") {
      // Its creation was cut (kill -9): never unlocked as it is, since it may
      // be an empty checkout; the next resume removes it and makes it again.
      findings.push({
        level: "warning",
        file: label,
        message:
          "the worktree's creation was cut; resume makes it again from the newest saved files",
      });
    } else if (entry?.locked) {
      const finding: Finding = {
        level: "warning",
        file: label,
        message: "the worktree is locked (git worktree lock)",
      };
      if (repair) {
        await git(repo, ["worktree", "unlock", dir], { allowFail: true });
        finding.repaired = true;
      }
      findings.push(finding);
    }
    if (!fs.existsSync(path.join(dir, ".git"))) {
      const finding: Finding = {
        level: "warning",
        file: label,
        message:
          `${agent.id}'s worktree is missing; resume makes it again from its newest saved files`,
      };
      if (repair) {
        await git(repo, ["worktree", "prune"], { allowFail: true });
        const warning = await workspace.ensure(agent);
        finding.repaired = warning === null;
      }
      findings.push(finding);
    } else if (entry && entry.branch !== branch) {
      findings.push({
        level: "warning",
        file: label,
        message: `the worktree has ${
          entry.branch ?? "a detached HEAD"
        } checked out, not ${branch}`,
      });
    }
    // Made by a maos from before worktrees left the project's .maos/ out.
    if (worktreeReady(dir) && !await isSparse(dir)) {
      const finding: Finding = {
        level: "warning",
        file: label,
        message:
          `the worktree holds a copy of ${workspace.maosDir}/ (made before maos left it out)${
            repair ? "" : "; --repair leaves it out"
          }`,
      };
      if (repair) {
        await leaveOut(dir, [workspace.maosDir]);
        finding.repaired = true;
      }
      findings.push(finding);
    }
  }
  if (findings.length === 0) {
    findings.push({
      level: "ok",
      file: `orchestration ${id8}`,
      message: `${state.agents.length} agents' worktrees and branches`,
    });
  }
  return findings;
}

/**
 * The files ref must hold the agent's newest saved files: the saves are
 * reachable only through it (git keeps no reflog for refs/maos), so a ref
 * deleted or moved by hand leaves them to git's gc. Repair points it back,
 * keeping whatever it held.
 */
async function checkFilesRef(
  repo: string,
  ref: string,
  saved: { commit: string; head: string | null },
  repair: boolean,
): Promise<Omit<Finding, "file"> | null> {
  const tip = await resolveCommit(repo, ref);
  if (tip && await isMerged(repo, saved.commit, tip)) return null;
  const finding: Omit<Finding, "file"> = {
    level: "warning",
    message: tip
      ? `${ref} no longer holds the saved files ${
        saved.commit.slice(0, 8)
      } (moved by hand): git gc could delete them${
        repair ? "" : "; repair makes it hold them again"
      }`
      : `${ref} is missing: the saved files ${
        saved.commit.slice(0, 8)
      } are left to git gc${repair ? "" : "; repair sets it again"}`,
  };
  if (repair) {
    if (tip) {
      await joinFiles(
        repo,
        ref,
        saved.commit,
        [saved.head ?? saved.commit, saved.commit, tip],
        "maos files: repaired by maos doctor",
      );
    } else {
      await git(repo, ["update-ref", ref, saved.commit]);
    }
    finding.repaired = true;
  }
  return finding;
}

/** Is the work at `commit` in the branch checked out at `projectRoot` (squashed too)? */
async function mergedHere(
  projectRoot: string,
  repo: string,
  commit: string,
): Promise<boolean> {
  const branch = await currentBranch(projectRoot);
  const into = branch
    ? await resolveCommit(projectRoot, `refs/heads/${branch}`)
    : null;
  if (!into || !await resolveCommit(repo, commit)) return false;
  return (await unmergedFiles(repo, into, commit)).length === 0;
}
