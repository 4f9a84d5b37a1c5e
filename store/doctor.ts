import * as fs from "node:fs";
import { Low } from "lowdb";
import { fsyncDir } from "./atomic_write.ts";
import { MaosError } from "./errors.ts";
import { LOG_START, scanLog } from "./event_log.ts";
import { readInboxSkipped } from "./inbox.ts";
import { DurableJsonFile } from "./json_file.ts";
import type { Fold } from "./journal.ts";
import { inspectLock } from "./lock.ts";
import type { MaosPaths } from "./paths.ts";
import {
  CheckpointFileSchema,
  ConfigSchema,
  FORMAT_VERSION,
  type OrchestrationState,
  SnapshotFileSchema,
} from "./schema.ts";

export interface Finding {
  level: "ok" | "warning" | "error";
  file: string;
  message: string;
  repaired?: boolean;
}

export interface DoctorReport {
  findings: Finding[];
  /** Problems left after repair: any means exit 4. */
  unresolved: number;
}

/**
 * Check every file under `.maos/`: JSON validity, torn tails, seq gaps,
 * snapshot against log, stale locks, leftover agent processes. With
 * `repair`, fix what can be fixed without losing data: cut torn tails,
 * rebuild state.json from the log, remove stale locks, end orphans.
 */
export async function runDoctor(
  paths: MaosPaths,
  fold: Fold,
  repair: boolean,
): Promise<DoctorReport> {
  const findings: Finding[] = [];
  const rel = (file: string) =>
    file.startsWith(paths.root)
      ? ".maos" + file.slice(paths.root.length)
      : file;
  const check = (file: string, action: () => void) => {
    try {
      action();
    } catch (err) {
      findings.push({
        level: "error",
        file: rel(file),
        message: err instanceof MaosError ? err.message : String(err),
      });
    }
  };

  check(paths.config, () => {
    new DurableJsonFile(paths.config, ConfigSchema).readSync();
    findings.push({ level: "ok", file: rel(paths.config), message: "valid" });
  });

  for (const id of paths.listOrchestrationIds().sort()) {
    await checkOrchestration(paths, id, fold, repair, findings, rel);
  }

  for (const id of paths.listCheckpointIds().sort()) {
    check(paths.checkpoint(id), () => {
      new DurableJsonFile(paths.checkpoint(id), CheckpointFileSchema)
        .readSync();
    });
  }
  const checkpointErrors = findings.filter((f) =>
    f.file.startsWith(".maos/checkpoints") && f.level === "error"
  );
  if (checkpointErrors.length === 0) {
    findings.push({
      level: "ok",
      file: ".maos/checkpoints",
      message: `${paths.listCheckpointIds().length} checkpoint(s) valid`,
    });
  }
  const unresolved =
    findings.filter((f) => f.level === "error" && !f.repaired).length;
  return { findings, unresolved };
}

async function checkOrchestration(
  paths: MaosPaths,
  id: string,
  fold: Fold,
  repair: boolean,
  findings: Finding[],
  rel: (file: string) => string,
): Promise<void> {
  const eventsFile = paths.events(id);
  const lockView = inspectLock(paths.lock(id));
  const live = lockView.state === "live";

  // The log is the truth: replay all of it.
  let state: OrchestrationState | undefined;
  let scan;
  const refused: string[] = [];
  try {
    scan = scanLog(eventsFile, LOG_START, (event) => {
      state = fold(state, event);
      if (event.type === "inbox.refused") {
        refused.push(`#${event.seq} from ${event.from}: ${event.reason}`);
      }
    });
  } catch (err) {
    findings.push({
      level: "error",
      file: rel(eventsFile),
      message: `${
        err instanceof Error ? err.message : String(err)
      } — not repaired: restore the file from git or a backup`,
    });
    return;
  }
  if (scan.tornBytes > 0) {
    const finding: Finding = {
      level: "warning",
      file: rel(eventsFile),
      message: `torn last line (${scan.tornBytes} bytes)`,
    };
    if (repair && !live) {
      fs.truncateSync(eventsFile, scan.end.offset);
      const fd = fs.openSync(eventsFile, "r+");
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      finding.message += ": cut off";
      finding.repaired = true;
    }
    findings.push(finding);
  }
  if (!state) {
    // Killed before its first event was written: an orchestration that never
    // started, with nothing to lose. Anything else without one is damage.
    const empty = scan.end.offset === 0 && !fs.existsSync(paths.state(id));
    const finding: Finding = {
      level: empty ? "warning" : "error",
      file: rel(paths.orchestration(id)),
      message: empty
        ? "an orchestration whose creation was cut off (no events)"
        : "events.jsonl holds no orchestration.created event",
    };
    if (empty && repair && !live) {
      fs.rmSync(paths.orchestration(id), { recursive: true, force: true });
      fsyncDir(paths.orchestrations);
      finding.message += ": removed";
      finding.repaired = true;
    }
    findings.push(finding);
    return;
  }
  findings.push({
    level: "ok",
    file: rel(eventsFile),
    message: `${scan.end.seq} events, seq contiguous`,
  });

  const stateFile = paths.state(id);
  let snapshotProblem: string | null = null;
  try {
    const snapshot = new DurableJsonFile(stateFile, SnapshotFileSchema)
      .readSync();
    if (!snapshot) {
      // A crash right after the first event: the log alone is enough to open it.
      const finding: Finding = {
        level: "warning",
        file: rel(stateFile),
        message: "missing (it is rebuilt from events.jsonl when opened)",
      };
      if (repair && !live) {
        await writeSnapshot(stateFile, state, scan.end.offset);
        finding.message = "missing: rebuilt from events.jsonl";
        finding.repaired = true;
      }
      findings.push(finding);
    } else if (snapshot.state.lastSeq > scan.end.seq) {
      snapshotProblem =
        `ahead of the log (seq ${snapshot.state.lastSeq} > ${scan.end.seq})`;
    } else if (
      snapshot.state.lastSeq === scan.end.seq &&
      sortedJson(snapshot.state) !== sortedJson(state)
    ) {
      snapshotProblem = "differs from the replayed log";
    } else if (snapshot.state.lastSeq < scan.end.seq) {
      const newer = scan.end.seq - snapshot.state.lastSeq;
      const finding: Finding = {
        level: "ok",
        file: rel(stateFile),
        message: `valid (${newer} newer events in the log)`,
      };
      // Behind the log is normal while running; after a crash, bring it up to date.
      if (repair && !live) {
        await writeSnapshot(stateFile, state, scan.end.offset);
        finding.message += ": brought up to date";
        finding.repaired = true;
      }
      findings.push(finding);
    } else {
      findings.push({
        level: "ok",
        file: rel(stateFile),
        message: "valid, matches the log",
      });
    }
  } catch (err) {
    snapshotProblem = err instanceof Error ? err.message : String(err);
  }
  if (snapshotProblem) {
    const finding: Finding = {
      level: "error",
      file: rel(stateFile),
      message: snapshotProblem,
    };
    if (repair && !live) {
      await writeSnapshot(stateFile, state, scan.end.offset);
      finding.message += ": rebuilt from events.jsonl";
      finding.repaired = true;
    }
    findings.push(finding);
  }

  if (lockView.state === "stale") {
    const finding: Finding = {
      level: "warning",
      file: rel(paths.lock(id)),
      message: `stale lock (${lockView.reason})`,
    };
    if (repair) {
      fs.rmSync(paths.lock(id), { force: true });
      fsyncDir(paths.orchestration(id));
      finding.message += ": removed";
      finding.repaired = true;
    }
    findings.push(finding);
  }

  if (!live) {
    for (const pid of processesOf(id)) {
      const finding: Finding = {
        level: "error",
        file: rel(paths.orchestration(id)),
        message: `orphaned agent process ${pid} still running`,
      };
      if (repair) {
        try {
          process.kill(pid, "SIGKILL");
        } catch { /* already gone */ }
        finding.message += ": killed";
        finding.repaired = true;
      }
      findings.push(finding);
    }
  }

  if (refused.length > 0) {
    // Someone wrote as an agent without its token: worth a look, not a repair.
    findings.push({
      level: "warning",
      file: rel(paths.inbox(id)),
      message: `${refused.length} inbox line${
        refused.length === 1 ? "" : "s"
      } refused (not taken as the agent's): ${refused.slice(-3).join("; ")}`,
    });
  }

  const skipped = readInboxSkipped(paths, id);
  if (skipped > 0) {
    findings.push({
      level: "warning",
      file: rel(paths.inbox(id)),
      message: `${skipped} unreadable line(s) skipped`,
    });
  }
}

/**
 * Processes started for this orchestration carry MAOS_ORCHESTRATION_ID in
 * their environment (Linux /proc); none should outlive the lock holder.
 */
function processesOf(id: string): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return [];
  }
  const needle = `MAOS_ORCHESTRATION_ID=${id}`;
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${entry}/environ`, "latin1");
      if (env.split("\0").includes(needle)) found.push(Number(entry));
    } catch { /* gone or not ours to read */ }
  }
  return found;
}

/** JSON with sorted keys: two states are equal whatever order their keys were built in. */
function sortedJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(
          Object.entries(v).sort(([a], [b]) => a.localeCompare(b)),
        )
        : v,
  );
}

/** state.json from the replayed log, through lowdb's durable adapter. */
async function writeSnapshot(
  file: string,
  state: OrchestrationState,
  logOffset: number,
): Promise<void> {
  const db = new Low(new DurableJsonFile(file, SnapshotFileSchema), {
    formatVersion: FORMAT_VERSION,
    state,
    logOffset,
  });
  await db.write();
}
