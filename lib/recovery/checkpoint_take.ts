/**
 * Take a manual checkpoint: of one orchestration, or of every unfinished one.
 *
 * @module
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { scanCheckpoints, writeCheckpoint } from "../../store/checkpoints.ts";
import { loadConfig } from "../../store/config.ts";
import { ExitCode, MaosError, usageError } from "../../store/errors.ts";
import { resolveIdPrefix } from "../../store/ids.ts";
import { Journal, loadOrchestration } from "../../store/journal.ts";
import type { MaosPaths } from "../../store/paths.ts";
import type {
  CheckpointFile,
  Durability,
  OrchestrationState,
} from "../../store/schema.ts";
import { inspectLock } from "../../store/lock.ts";
import { saveJournalFiles } from "../workspace/files_save.ts";
import { askRunningProcess } from "./checkpoint_request.ts";
import { foldEvent } from "../queries/state_fold.ts";

export interface CheckpointResult {
  /** Null when there was nothing unfinished to checkpoint. */
  checkpoint: CheckpointFile | null;
  /** Orchestrations run by another process that did not answer: the file has their last save, their log nothing. */
  live: string[];
  /** Unfinished-or-not could not be told (a corrupt file): left out, with why. */
  skipped: { id: string; reason: string }[];
}

/**
 * Checkpoint one orchestration (id or prefix), or every unfinished one.
 * Where no live process holds the orchestration, its agents' worktree
 * files are saved (`agent.files`) and `checkpoint.created` is also
 * appended to its log. An orchestration that a live process runs is asked
 * of that process (it saves the files now and logs it; within a checkpoint
 * of several it takes one of its own, `NAME (id8)`, whose state this one
 * holds); when it does not answer, it is in the file as of its last save,
 * since its log belongs to the process running it. A `name` already used by
 * another checkpoint is refused (exit 2), so a name finds one checkpoint.
 */
export async function checkpointOrchestrations(
  paths: MaosPaths,
  options: { name?: string; orchestrationId?: string; now?: Date } = {},
): Promise<CheckpointResult> {
  const taken = new Map(
    scanCheckpoints(paths).checkpoints.map((cp) => [cp.name, cp]),
  );
  const name = checkpointName(options.name, options.now ?? new Date(), taken);
  const skipped: CheckpointResult["skipped"] = [];
  const ids = options.orchestrationId === undefined
    ? unfinishedIds(paths, skipped)
    : [resolveIdPrefix(
      options.orchestrationId,
      paths.listOrchestrationIds(),
      "orchestration",
    )];
  if (ids.length === 0) return { checkpoint: null, live: [], skipped };
  if (ids.length === 1 && inspectLock(paths.lock(ids[0])).state === "live") {
    // Its log and files are the running process's: it takes the checkpoint.
    const answered = await askRunningProcess(paths, ids[0], name);
    if (answered) return { checkpoint: answered, live: [], skipped };
  }
  const { durability } = await loadConfig(paths);
  const journals: Journal[] = [];
  const states: OrchestrationState[] = [];
  const live: string[] = [];
  try {
    for (const id of ids) {
      const journal = openUnlessLive(paths, id, durability, "maos checkpoint");
      if (journal) {
        journals.push(journal);
        // The checkpoint names the agents' files as they are now.
        await saveJournalFiles(path.dirname(paths.root), journal, "checkpoint");
        states.push(journal.state);
      } else {
        // One of several: its process takes one of its own (files now, in
        // its log), and this checkpoint holds the same state.
        const own = ids.length > 1
          ? await askRunningProcess(paths, id, ownName(name, id, taken))
          : null;
        const state = own?.orchestrations.find((o) => o.id === id)?.state;
        if (!state) live.push(id);
        states.push(state ?? loadOrchestration(paths, id, foldEvent).state);
      }
    }
    const checkpoint = await writeCheckpoint(paths, {
      name,
      auto: false,
      states,
    });
    for (const journal of journals) {
      journal.append({
        type: "checkpoint.created",
        checkpoint: checkpoint.id,
        name,
        auto: false,
      });
    }
    return { checkpoint, live, skipped };
  } finally {
    for (const journal of journals) await journal.close();
  }
}

/** The name of a running orchestration's own checkpoint within one of several: `NAME (id8)`. */
function ownName(
  name: string,
  id: string,
  taken: Map<string, CheckpointFile>,
): string {
  const base = `${name.slice(0, 60)} (${id.slice(0, 8)})`;
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}

/** One corrupt orchestration must not stop the others from being checkpointed. */
function unfinishedIds(
  paths: MaosPaths,
  skipped: CheckpointResult["skipped"],
): string[] {
  return paths.listOrchestrationIds().sort().filter((id) => {
    if (!fs.existsSync(paths.events(id))) return false; // being created now
    try {
      const { status } = loadOrchestration(paths, id, foldEvent).state;
      return status !== "completed" && status !== "failed";
    } catch (err) {
      if (!(err instanceof MaosError)) throw err;
      skipped.push({ id, reason: err.message });
      return false;
    }
  });
}

/**
 * A given name is checked and must be free; the default is
 * `manual-YYYYMMDD-HHMMSS` (local time, as a person reads it), with `-2`,
 * `-3` … when that second already has one.
 */
function checkpointName(
  name: string | undefined,
  now: Date,
  taken: Map<string, CheckpointFile>,
): string {
  if (name === undefined) {
    const two = (n: number) => String(n).padStart(2, "0");
    const base = `manual-${now.getFullYear()}${two(now.getMonth() + 1)}${
      two(now.getDate())
    }-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
    let candidate = base;
    for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
    return candidate;
  }
  const trimmed = name.trim();
  // deno-lint-ignore no-control-regex
  if (!trimmed || trimmed.length > 80 || /[\x00-\x1f\x7f]/.test(trimmed)) {
    throw usageError(
      `invalid checkpoint name '${name}'`,
      "use 1 to 80 printable characters, e.g. --name before-refactor",
    );
  }
  // Ids win over names (resolveCheckpointId): such a name could never be used.
  if (/^[0-9a-f]{4,12}$/.test(trimmed)) {
    throw usageError(
      `checkpoint name '${trimmed}' would read as a checkpoint id (4 to 12 hex characters)`,
      "choose a name with another character in it, e.g. --name before-refactor",
    );
  }
  const other = taken.get(trimmed);
  if (other) {
    const id8 = other.id.slice(0, 8);
    throw usageError(
      `a checkpoint named '${trimmed}' already exists: ${id8}, ` +
        `created ${other.createdAt}`,
      `choose another name, or delete the old one first: maos recover delete ${id8}`,
    );
  }
  return trimmed;
}

/** Journal.open, or undefined when another live process drives it. */
function openUnlessLive(
  paths: MaosPaths,
  id: string,
  durability: Durability,
  command: string,
): Journal | undefined {
  try {
    return Journal.open(paths, id, foldEvent, durability, command);
  } catch (err) {
    if (err instanceof MaosError && err.code === ExitCode.locked) {
      return undefined;
    }
    throw err;
  }
}
