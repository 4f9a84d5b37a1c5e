/**
 * `maos orchestration remove ID`: an orchestration, its agents' worktrees
 * and branches go. Refused while it runs (exit 3), and while an agent has
 * work not merged or not committed, unless forced.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readCheckpoint } from "../../store/checkpoints.ts";
import { MaosError } from "../../store/errors.ts";
import { loadOrchestration } from "../../store/journal.ts";
import { inspectLock } from "../../store/lock.ts";
import type { MaosPaths } from "../../store/paths.ts";
import { resolveOrchestrationId } from "../queries/choose.ts";
import { runningElsewhereError } from "../queries/running_elsewhere.ts";
import { foldEvent } from "../queries/state_fold.ts";
import { worktreesDir } from "./names.ts";
import { pruneAgentFiles, type PruneEntry } from "./prune.ts";

export interface RemoveResult {
  id: string;
  dryRun: boolean;
  agents: PruneEntry[];
  /** refs/maos/<id>/* stay while a checkpoint names the orchestration. */
  filesRefsKept: boolean;
}

export async function removeOrchestration(
  paths: MaosPaths,
  idPrefix: string,
  options: { force?: boolean; dryRun?: boolean } = {},
): Promise<RemoveResult> {
  const id = resolveOrchestrationId(paths, idPrefix);
  if (inspectLock(paths.lock(id)).state === "live") {
    throw runningElsewhereError(
      paths,
      id,
      "it cannot be removed now",
      "remove it once it ended",
    );
  }
  const state = loadOrchestration(paths, id, foldEvent).state;
  const projectRoot = path.dirname(paths.root);
  const preview = await pruneAgentFiles(projectRoot, state, {
    dryRun: true,
    force: options.force,
  });
  const kept = preview.filter((e) => e.action === "kept");
  const filesRefsKept = namedByCheckpoint(paths, id);
  // A dry run lists what would be kept and why (the CLI exits 1), never refuses.
  if (options.dryRun) {
    return { id, dryRun: true, agents: preview, filesRefsKept };
  }
  if (kept.length > 0) {
    throw new MaosError(
      `orchestration ${id.slice(0, 8)} has work that would be lost: ${
        kept.map((e) => `${e.agent} (${e.reason})`).join("; ")
      }`,
      1,
      // A merge takes only committed work: uncommitted files need a commit (or a resume) first.
      kept.some((e) => e.reason?.includes("uncommitted"))
        ? `resume it to finish, or commit that work in its worktree and merge it (maos orchestration merge ${
          id.slice(0, 8)
        }); or remove it anyway with --force`
        : `merge it first (maos orchestration merge ${
          id.slice(0, 8)
        }), or remove it anyway with --force`,
    );
  }
  const agents = await pruneAgentFiles(projectRoot, state, {
    force: options.force,
    deleteRefs: !filesRefsKept,
  });
  fs.rmSync(paths.orchestration(id), { recursive: true, force: true });
  // Its machine-local folder (.maos/worktrees/<id>) also holds what agent
  // CLIs keep per agent (the gemini driver's homes), in a project without
  // worktrees too; once no worktree was kept, it all goes.
  if (agents.every((e) => e.action !== "kept")) {
    fs.rmSync(worktreesDir(projectRoot, id), { recursive: true, force: true });
  }
  return { id, dryRun: false, agents, filesRefsKept };
}

/** Does any checkpoint (a damaged one counts) hold a state of `id`? */
function namedByCheckpoint(paths: MaosPaths, id: string): boolean {
  for (const cp of paths.listCheckpointIds()) {
    try {
      if (readCheckpoint(paths, cp).orchestrations.some((o) => o.id === id)) {
        return true;
      }
    } catch {
      return true;
    }
  }
  return false;
}
