/**
 * The files each agent changed, with added and removed lines, read from git:
 * the commits on its branch (`maos/<id8>/<agent>`) since the orchestration's
 * base, plus what its newest save on `refs/maos/<id>/<agent>` holds beyond
 * that branch (work not committed yet). Commits made by maos for another
 * agent (merged in as a dependency) are not this agent's work.
 *
 * Kept small and apart so it can give way to the workspace room's own
 * per-agent files function once that exists (issue 16).
 *
 * @module
 */
import { git } from "../git/git.ts";
import { findRepo, resolveCommit } from "../git/repo.ts";
import { agentBranch, filesRef } from "../workspace/names.ts";
import type { OrchestrationState } from "../../store/schema.ts";

/** One file an agent changed; `added`/`removed` are null for a binary file. */
export interface FileChange {
  path: string;
  added: number | null;
  removed: number | null;
}

export interface AgentChanges {
  agent: string;
  files: FileChange[];
  /** Why there is nothing to show, when there is nothing (no git, refs not fetched). */
  note: string | null;
}

/** Per agent of `state`, what it changed; never throws for a missing ref. */
export async function agentChanges(
  projectRoot: string,
  state: OrchestrationState,
): Promise<AgentChanges[]> {
  const base = state.isolation?.mode === "worktree"
    ? state.isolation.base
    : null;
  const none = (note: string) =>
    state.agents.map((a) => ({ agent: a.id, files: [], note }));
  if (!base) {
    return none("the agents shared the project's files (no worktrees)");
  }
  const repo = await findRepo(projectRoot);
  if (!repo) return none("not in a git repository");
  if (!await resolveCommit(repo.root, base)) {
    return none("this clone lacks the orchestration's base commit");
  }
  const others = new Set(state.agents.map((a) => `maos ${a.id}`));
  const out: AgentChanges[] = [];
  for (const agent of state.agents) {
    const branch = await resolveCommit(
      repo.root,
      `refs/heads/${agentBranch(state.id, agent.id)}`,
    );
    const saved = await resolveCommit(repo.root, filesRef(state.id, agent.id));
    if (!branch && !saved) {
      out.push({
        agent: agent.id,
        files: [],
        note: "no branch or saved files",
      });
      continue;
    }
    const sums = new Map<string, FileChange>();
    if (branch) {
      others.delete(`maos ${agent.id}`);
      await committed(repo.root, `${base}..${branch}`, others, sums);
      others.add(`maos ${agent.id}`);
    }
    if (saved && branch && await savedAfter(repo.root, saved, branch)) {
      add(sums, await numstat(repo.root, ["diff", branch, saved]));
    } else if (saved && !branch) {
      add(sums, await numstat(repo.root, ["diff", base, saved]));
    }
    const files = [...sums.values()].sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0
    );
    out.push({ agent: agent.id, files, note: null });
  }
  return out;
}

/** Sum the non-merge commits of `range`, skipping those maos made for another agent. */
async function committed(
  root: string,
  range: string,
  othersAuthors: Set<string>,
  into: Map<string, FileChange>,
): Promise<void> {
  const log = await git(root, [
    "-c",
    "core.quotePath=false",
    "log",
    "--no-merges",
    "--no-renames",
    "--numstat",
    "--format=%x00%an",
    range,
  ]);
  for (const commit of log.stdout.split("\0").slice(1)) {
    const newline = commit.indexOf("\n");
    const author = newline < 0 ? commit : commit.slice(0, newline);
    if (othersAuthors.has(author)) continue;
    add(into, parseNumstat(newline < 0 ? "" : commit.slice(newline + 1)));
  }
}

/** Is the save newer than the branch (its parent), so its extra is uncommitted work? */
async function savedAfter(
  root: string,
  saved: string,
  branch: string,
): Promise<boolean> {
  const result = await git(root, [
    "merge-base",
    "--is-ancestor",
    branch,
    saved,
  ], { allowFail: true });
  return result.code === 0;
}

async function numstat(root: string, args: string[]): Promise<FileChange[]> {
  const out = await git(root, [
    "-c",
    "core.quotePath=false",
    ...args,
    "--numstat",
    "--no-renames",
  ]);
  return parseNumstat(out.stdout);
}

/** `added<TAB>removed<TAB>path` lines; `-` for both on a binary file. */
export function parseNumstat(text: string): FileChange[] {
  const files: FileChange[] = [];
  for (const line of text.split("\n")) {
    const match = /^(\d+|-)\t(\d+|-)\t(.+)$/.exec(line);
    if (!match) continue;
    files.push({
      path: match[3],
      added: match[1] === "-" ? null : Number(match[1]),
      removed: match[2] === "-" ? null : Number(match[2]),
    });
  }
  return files;
}

function add(into: Map<string, FileChange>, files: FileChange[]): void {
  for (const file of files) {
    const seen = into.get(file.path);
    if (!seen) {
      into.set(file.path, { ...file });
      continue;
    }
    seen.added = seen.added === null || file.added === null
      ? null
      : seen.added + file.added;
    seen.removed = seen.removed === null || file.removed === null
      ? null
      : seen.removed + file.removed;
  }
}
