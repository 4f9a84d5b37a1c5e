/**
 * A merge that finds no branch for an agent: was its work discarded,
 * saved away by a forced removal, merged and cleaned up, or is the branch
 * simply not in this clone (a plain `git clone` brings every object but
 * no `maos/*` branch)? Only the first three may be skipped in silence.
 *
 * @module
 */
import { ExitCode, MaosError, usageError } from "../../store/errors.ts";
import type { OrchestrationState } from "../../store/schema.ts";
import { resolveCommit } from "../git/repo.ts";
import { unmergedFiles } from "./agent_files.ts";
import { discardedRef, FETCH_HINT, forcedRef } from "./names.ts";
import type { Workspace } from "./workspace.ts";

/**
 * The error for `agent`'s missing branch, or null when a merge of every
 * agent may skip it; `named`: the user asked for this agent (`--agent`),
 * so no case is silent.
 */
export async function missingBranchError(
  workspace: Workspace,
  agent: OrchestrationState["agents"][number],
  intoHead: string,
  named: boolean,
): Promise<MaosError | null> {
  const repo = workspace.repo.root;
  const branch = workspace.branchOf(agent.id);
  const nothing = "nothing was merged";
  for (
    const [ref, how] of [
      [discardedRef(workspace.id, agent.id), "was discarded"],
      [forcedRef(workspace.id, agent.id), "was removed with --force"],
    ] as const
  ) {
    if (!await resolveCommit(repo, ref)) continue;
    if (!named) return null;
    return usageError(
      `${agent.id}'s work ${how}: there is no branch ${branch} to merge; ${nothing}`,
      `it is kept in ${ref}; to take it anyway: git branch NAME ${ref} && git merge NAME`,
    );
  }
  const head = agent.files?.head ?? null;
  if (
    head && await resolveCommit(repo, head) &&
    (await unmergedFiles(repo, intoHead, head, workspace.maosDir)).length > 0
  ) {
    return new MaosError(
      `this clone has no branch ${branch} (the work of ${agent.id} in orchestration ${
        workspace.id.slice(0, 8)
      }): ${nothing}`,
      ExitCode.failed,
      FETCH_HINT,
    );
  }
  if (!named) return null;
  return usageError(
    `${agent.id} has no branch ${branch} here (merged and removed, or never made); ${nothing}`,
    `see what is left with: maos orchestration status ${
      workspace.id.slice(0, 8)
    }`,
  );
}
