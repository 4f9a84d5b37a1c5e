/**
 * Where an orchestration's agents' files live in git: branch, files ref and
 * worktree directory names (DESIGN §4b).
 *
 * @module
 */
import * as path from "node:path";

/** The branch of an agent: `maos/<id8>/<agent>`. */
export function agentBranch(orchestrationId: string, agent: string): string {
  return `maos/${orchestrationId.slice(0, 8)}/${agent}`;
}

/** The ref that holds an agent's saved files: `refs/maos/<id>/<agent>`. */
export function filesRef(orchestrationId: string, agent: string): string {
  return `refs/maos/${orchestrationId}/${agent}`;
}

/**
 * Where an orchestration's worktrees live: `.maos/worktrees/<id>`, which
 * `.maos/.gitignore` keeps out of commits. Not inside `.git/`: Claude Code
 * refuses every write under a path with a `.git` segment ("sensitive file").
 */
export function worktreesDir(
  projectRoot: string,
  orchestrationId: string,
): string {
  return path.join(projectRoot, ".maos", "worktrees", orchestrationId);
}

/** The hint for a commit a clone does not have. */
export const FETCH_HINT =
  "fetch maos's refs from where it ran: git fetch origin 'refs/maos/*:refs/maos/*' 'refs/heads/maos/*:refs/heads/maos/*'";

/** The ref that keeps an agent's work after `orchestration discard` (a "." is never in an agent id). */
export function discardedRef(orchestrationId: string, agent: string): string {
  return `refs/maos/${orchestrationId}/${agent}.discarded`;
}

/** The ref that keeps what `remove --force` or `cleanup --force` would have lost. */
export function forcedRef(orchestrationId: string, agent: string): string {
  return `refs/maos/${orchestrationId}/${agent}.forced`;
}
