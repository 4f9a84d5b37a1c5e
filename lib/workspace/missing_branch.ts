/**
 * An agent with no branch here: was its work discarded, saved away by a
 * forced removal, merged and cleaned up, or is the branch simply not in
 * this clone (a plain `git clone` brings every object but no `maos/*`
 * branch)? A merge may skip the first three in silence, never the last;
 * `diff` says which it is.
 *
 * @module
 */
import { ExitCode, MaosError, usageError } from "../../store/errors.ts";
import type { OrchestrationState } from "../../store/schema.ts";
import { currentBranch, resolveCommit } from "../git/repo.ts";
import { unmergedFiles } from "./agent_files.ts";
import { discardedRef, FETCH_HINT, forcedRef } from "./names.ts";
import type { Workspace } from "./workspace.ts";

type AgentState = OrchestrationState["agents"][number];

/** Why an agent has no branch here; `ref` keeps its work when it was discarded or forced away. */
export type NoBranch =
  | { kind: "discarded" | "forced"; ref: string }
  | { kind: "not in this clone" }
  | { kind: "removed" };

/**
 * Why `agent` has no branch: `intoHead` is the branch a merge goes into
 * (default: the one checked out in the project); work it lacks, which
 * the log names, is in another clone.
 */
export async function whyNoBranch(
  workspace: Workspace,
  agent: AgentState,
  intoHead?: string | null,
): Promise<NoBranch> {
  const repo = workspace.repo.root;
  const discarded = discardedRef(workspace.id, agent.id);
  if (await resolveCommit(repo, discarded)) {
    return { kind: "discarded", ref: discarded };
  }
  const forced = forcedRef(workspace.id, agent.id);
  if (await resolveCommit(repo, forced)) return { kind: "forced", ref: forced };
  const head = agent.files?.head ?? null;
  if (!head) return { kind: "removed" };
  if (!await resolveCommit(repo, head)) return { kind: "not in this clone" };
  if (intoHead === undefined) {
    const into = await currentBranch(workspace.projectRoot);
    intoHead = into
      ? await resolveCommit(workspace.projectRoot, `refs/heads/${into}`)
      : null;
  }
  if (!intoHead) return { kind: "not in this clone" };
  const unmerged = await unmergedFiles(repo, intoHead, head, workspace.maosDir);
  return { kind: unmerged.length > 0 ? "not in this clone" : "removed" };
}

/**
 * The error for a missing branch `why` in a merge, or null when a merge
 * of every agent may skip it; `named`: the user asked for this agent
 * (`--agent`), so no case is silent.
 */
export function noBranchError(
  workspace: Workspace,
  agent: string,
  why: NoBranch,
  named: boolean,
): MaosError | null {
  const branch = workspace.branchOf(agent);
  const nothing = "nothing was merged";
  if (why.kind === "not in this clone") {
    return new MaosError(
      `this clone has no branch ${branch} (the work of ${agent} in orchestration ${
        workspace.id.slice(0, 8)
      }): ${nothing}`,
      ExitCode.failed,
      FETCH_HINT,
    );
  }
  if (!named) return null;
  if (why.kind === "removed") {
    return usageError(
      `${agent} has no branch ${branch} here (merged and removed, or never made); ${nothing}`,
      `see what is left with: maos orchestration status ${
        workspace.id.slice(0, 8)
      }`,
    );
  }
  const how = why.kind === "discarded"
    ? "was discarded"
    : "was removed with --force";
  return usageError(
    `${agent}'s work ${how}: there is no branch ${branch} to merge; ${nothing}`,
    `it is kept in ${why.ref}; to take it anyway: git branch NAME ${why.ref} && git merge NAME`,
  );
}
