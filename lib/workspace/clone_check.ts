/**
 * Does this clone have the commits the log names for the agents' work?
 * After `orchestration import` (or a clone without maos's refs) it may
 * not: merge and resume must say so in one line, with the fetch hint,
 * instead of "nothing to merge" or a worktree started over without it.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ExitCode, MaosError } from "../../store/errors.ts";
import type { OrchestrationState } from "../../store/schema.ts";
import { resolveCommit } from "../git/repo.ts";
import { FETCH_HINT } from "./names.ts";
import { Workspace } from "./workspace.ts";

/** The agents (of `agents`) whose saved commits, or the start commit, this clone lacks. */
export async function agentsLackingWork(
  workspace: Workspace,
  agents: OrchestrationState["agents"],
): Promise<string[]> {
  const repo = workspace.repo.root;
  const missing: string[] = [];
  if (!await resolveCommit(repo, workspace.base)) missing.push("its start");
  for (const agent of agents) {
    const files = agent.files;
    if (!files) continue;
    for (const commit of [files.commit, files.head]) {
      if (commit && !await resolveCommit(repo, commit)) {
        missing.push(agent.id);
        break;
      }
    }
  }
  return missing;
}

/** One line (exit 1) naming what is missing, then `consequence` ("nothing was merged"). */
export async function requireWorkInClone(
  workspace: Workspace,
  agents: OrchestrationState["agents"],
  consequence: string,
): Promise<void> {
  const missing = await agentsLackingWork(workspace, agents);
  if (missing.length === 0) return;
  throw new MaosError(
    `this clone lacks the commits of ${missing.join(", ")} (orchestration ${
      workspace.id.slice(0, 8)
    }): ${consequence}`,
    ExitCode.failed,
    FETCH_HINT,
  );
}

/**
 * Before a resume: the agents that will work again and have no worktree
 * here must find their saved work in this clone (a worktree that is there
 * holds it already).
 */
export async function requireWorkToResume(
  projectRoot: string,
  state: OrchestrationState,
): Promise<void> {
  const workspace = await Workspace.open(projectRoot, state);
  if (!workspace) return;
  const busy = new Set(
    state.tasks.filter((t) => t.status !== "completed").map((t) => t.agent),
  );
  const agents = state.agents.filter((a) =>
    busy.has(a.id) &&
    !fs.existsSync(path.join(workspace.worktreeOf(a.id), ".git"))
  );
  await requireWorkInClone(workspace, agents, "nothing was resumed");
}
