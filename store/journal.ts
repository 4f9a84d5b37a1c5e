import * as fs from "node:fs";
import { Low } from "lowdb";
import { ensureDir } from "./atomic_write.ts";
import { corruptError, usageError } from "./errors.ts";
import { EventLog, LOG_START, type LogPosition, scanLog } from "./event_log.ts";
import { DurableJsonFile } from "./json_file.ts";
import { toJsonBytesMemo } from "./memo_json.ts";
import { acquireLock, type HeldLock } from "./lock.ts";
import type { MaosPaths } from "./paths.ts";
import {
  describeZodError,
  type Durability,
  EventSchema,
  FORMAT_VERSION,
  type MaosEvent,
  type NewEvent,
  type OrchestrationState,
  type SnapshotFile,
  SnapshotFileSchema,
} from "./schema.ts";

/**
 * How events change state. The store keeps the snapshot and the log; what an
 * event means is the engine's business, so the fold is passed in.
 */
export type Fold = (
  state: OrchestrationState | undefined,
  event: MaosEvent,
) => OrchestrationState;

export interface LoadedOrchestration {
  state: OrchestrationState;
  end: LogPosition;
  /** Bytes of a torn last line that loading ignored. */
  tornBytes: number;
  /** False when state.json's logOffset did not match and the log was scanned whole. */
  hintMatched: boolean;
  /** Events replayed on top of the snapshot. */
  replayed: number;
}

export function readSnapshot(
  paths: MaosPaths,
  id: string,
): SnapshotFile | null {
  return new DurableJsonFile(paths.state(id), SnapshotFileSchema).readSync();
}

/**
 * Load without taking the lock (readers): state.json, then only the log past
 * its logOffset, so opening does not cost more as history grows.
 */
export function loadOrchestration(
  paths: MaosPaths,
  id: string,
  fold: Fold,
  /** An already-read snapshot (null: replay the whole log). */
  snapshot: SnapshotFile | null = readSnapshot(paths, id),
): LoadedOrchestration {
  let state = snapshot?.state;
  const from = snapshot
    ? { seq: snapshot.state.lastSeq, offset: snapshot.logOffset }
    : LOG_START;
  let replayed = 0;
  const scan = scanLog(paths.events(id), from, (event) => {
    state = fold(state, event);
    replayed++;
  });
  if (!state) {
    throw corruptError(
      `${paths.events(id)} holds no orchestration.created event`,
    );
  }
  return {
    state,
    end: scan.end,
    tornBytes: scan.tornBytes,
    hintMatched: scan.hintMatched,
    replayed,
  };
}

/**
 * The writer's view of one orchestration: holds run.lock, appends events
 * (folding each into `state`), and writes snapshots through lowdb.
 */
export class Journal {
  private readonly db: Low<SnapshotFile>;
  private readonly adapter: DurableJsonFile<SnapshotFile>;
  private snapshotSeq: number;
  /** The snapshot being written, if any. */
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly paths: MaosPaths,
    readonly id: string,
    private readonly fold: Fold,
    private readonly log: EventLog,
    readonly lock: HeldLock,
    public state: OrchestrationState,
    /** What opening found and repaired, for the caller to report. */
    readonly opened: {
      tornBytes: number;
      hintMatched: boolean;
      replayed: number;
    },
  ) {
    // Snapshots are rewritten often and mostly unchanged: remember each task's text.
    this.adapter = new DurableJsonFile(
      paths.state(id),
      SnapshotFileSchema,
      toJsonBytesMemo,
    );
    this.db = new Low<SnapshotFile>(this.adapter, {
      formatVersion: FORMAT_VERSION,
      state,
      logOffset: log.end.offset,
    });
    this.snapshotSeq = opened.replayed === 0 ? state.lastSeq : -1;
  }

  /** Start a new orchestration: its folder, the lock, the first event, the first snapshot. */
  static async create(
    paths: MaosPaths,
    id: string,
    created: NewEvent,
    fold: Fold,
    durability: Durability,
    command: string,
  ): Promise<Journal> {
    ensureDir(paths.orchestration(id));
    ensureDir(paths.agentsDir(id));
    const lock = acquireLock(paths.lock(id), command);
    try {
      // Never start over an existing log: opening it at LOG_START would cut it.
      if (fileSize(paths.events(id)) > 0) {
        throw usageError(
          `orchestration ${id} already exists`,
          `resume it with: maos orchestration resume ${id.slice(0, 8)}`,
        );
      }
      const log = EventLog.openForAppend(
        paths.events(id),
        LOG_START,
        durability,
      );
      const first = log.append(created);
      const state = fold(undefined, first);
      const journal = new Journal(paths, id, fold, log, lock, state, {
        tornBytes: 0,
        hintMatched: true,
        replayed: 1,
      });
      await journal.snapshot();
      return journal;
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /** Take the lock (exit 3 if live), load, and cut a torn tail so appends start clean. */
  static open(
    paths: MaosPaths,
    id: string,
    fold: Fold,
    durability: Durability,
    command: string,
  ): Journal {
    const lock = acquireLock(paths.lock(id), command);
    try {
      const loaded = loadOrchestration(paths, id, fold);
      const log = EventLog.openForAppend(
        paths.events(id),
        loaded.end,
        durability,
      );
      return new Journal(paths, id, fold, log, lock, loaded.state, loaded);
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  get lastSeq(): number {
    return this.log.lastSeq;
  }

  /** True when events were appended since the last snapshot. */
  get dirty(): boolean {
    return this.snapshotSeq !== this.log.lastSeq;
  }

  append(event: NewEvent): MaosEvent {
    // Checked before it is written: one malformed event would make every later read fail.
    const checked = EventSchema.safeParse({ seq: 1, at: "-", ...event });
    if (!checked.success) {
      throw new Error(
        `refusing to append an invalid ${event.type} event: ${
          describeZodError(checked.error)
        }`,
      );
    }
    const full = this.log.append(event);
    this.state = this.fold(this.state, full);
    return full;
  }

  /**
   * Write state.json. The log is synced first so the snapshot never claims
   * an event that a power loss could take back.
   */
  snapshot(): Promise<void> {
    return this.serially(async () => {
      if (this.log.durability !== "relaxed") this.log.sync();
      const end = this.log.end;
      this.db.data = this.snapshotFile(end);
      await this.db.write();
      this.snapshotSeq = end.seq;
    });
  }

  /**
   * The same snapshot with every fsync (the log's and the file's) waited
   * for off the main thread: what auto-save uses while agents keep talking.
   */
  snapshotInBackground(): Promise<void> {
    return this.serially(async () => {
      const end = this.log.end;
      const file = this.snapshotFile(end);
      // The sync covers every append made before it, so `end` at least.
      if (this.log.durability !== "relaxed") await this.log.syncAsync();
      await this.adapter.writeInBackground(file);
      this.snapshotSeq = end.seq;
    });
  }

  private snapshotFile(end: LogPosition): SnapshotFile {
    return {
      formatVersion: FORMAT_VERSION,
      state: this.state,
      logOffset: end.offset,
    };
  }

  /** One snapshot at a time, in order: a late rename must never put an older one back. */
  private serially(write: () => Promise<void>): Promise<void> {
    const next = this.writing.then(write);
    this.writing = next.catch(() => {});
    return next;
  }

  /** Sync, snapshot if needed, close the log and release the lock. */
  async close(): Promise<void> {
    try {
      if (this.dirty) await this.snapshot();
    } finally {
      this.log.close();
      this.lock.release();
    }
  }
}

function fileSize(path: string): number {
  try {
    return fs.statSync(path).size;
  } catch {
    return 0;
  }
}
