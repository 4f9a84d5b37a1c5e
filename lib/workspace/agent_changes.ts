/**
 * What one agent changed since the orchestration's start commit: its
 * branch, plus what its worktree holds and has not committed (untracked
 * files too), never the project's `.maos/`. For `orchestration diff` and
 * for anyone who reads an agent's work (a report).
 *
 * @module
 */
import { worktreeReady } from "../git/worktree.ts";
import { git } from "../git/git.ts";
import { worktreeTree } from "../git/files_commit.ts";
import { resolveCommit, split0 } from "../git/repo.ts";
import type { Workspace } from "./workspace.ts";

/** One changed file: lines added and removed (null for a binary file). */
export interface ChangedFile {
  path: string;
  added: number | null;
  removed: number | null;
}

export interface AgentChanges {
  agent: string;
  branch: string;
  /** Its worktree (null: gone, e.g. discarded or cleaned up). */
  worktree: string | null;
  /** The commit or tree the changes were read from (branch head, or the worktree's files). */
  to: string | null;
  /** Every file changed since the start commit, with its line counts. */
  files: ChangedFile[];
  /** Those of `files` not committed on its branch yet. */
  uncommitted: string[];
}

/** The pathspec that keeps `.maos/` out of a diff. */
function keepOutSpec(workspace: Workspace): string {
  return `:(exclude,top,literal)${workspace.maosDir}`;
}

/**
 * `agentChanges(workspace, "developer-001")`: what it changed since the
 * start commit (`workspace.base`), read from its worktree when it has one
 * (so half-done work counts), else from its branch.
 */
export async function agentChanges(
  workspace: Workspace,
  agent: string,
): Promise<AgentChanges> {
  const repo = workspace.repo.root;
  const branch = workspace.branchOf(agent);
  const head = await resolveCommit(repo, `refs/heads/${branch}`);
  const dir = workspace.worktreeOf(agent);
  const worktree = worktreeReady(dir) ? dir : null;
  const to = worktree
    ? await worktreeTree(worktree, await workspace.keepOut(agent))
    : head;
  const result: AgentChanges = {
    agent,
    branch,
    worktree,
    to,
    files: [],
    uncommitted: [],
  };
  if (!to) return result;
  result.files = await numstat(
    repo,
    workspace.base,
    to,
    keepOutSpec(workspace),
  );
  if (worktree && head) {
    const committed = new Set(
      split0(
        (await git(repo, [
          "diff",
          "--name-only",
          "--no-renames",
          "-z",
          head,
          to,
          "--",
          ".",
          keepOutSpec(workspace),
        ])).stdout,
      ),
    );
    result.uncommitted = result.files.map((f) => f.path).filter((p) =>
      committed.has(p)
    );
  }
  return result;
}

/** The patch (or `--stat`) of an agent's changes, as git prints it. */
export async function agentPatch(
  workspace: Workspace,
  changes: AgentChanges,
  options: { stat?: boolean; color?: boolean } = {},
): Promise<string> {
  if (!changes.to) return "";
  const out = await git(workspace.repo.root, [
    "diff",
    options.color ? "--color=always" : "--no-color",
    ...(options.stat ? ["--stat"] : []),
    workspace.base,
    changes.to,
    "--",
    ".",
    keepOutSpec(workspace),
  ]);
  return out.stdout;
}

async function numstat(
  repo: string,
  from: string,
  to: string,
  exclude: string,
): Promise<ChangedFile[]> {
  const out = (await git(repo, [
    "diff",
    "--numstat",
    "--no-renames",
    "-z",
    from,
    to,
    "--",
    ".",
    exclude,
  ])).stdout;
  const files: ChangedFile[] = [];
  // "ADDED\tREMOVED\tPATH\0"; binary files have "-" counts.
  for (const entry of split0(out)) {
    const [added, removed, ...rest] = entry.split("\t");
    files.push({
      path: rest.join("\t"),
      added: added === "-" ? null : Number(added),
      removed: removed === "-" ? null : Number(removed),
    });
  }
  return files;
}
