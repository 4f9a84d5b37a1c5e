/**
 * The append side of events.jsonl. Reading it is store/log_read.ts; its
 * names are re-exported here for the callers that use both.
 */
import * as fs from "node:fs";
import { fdatasyncAsync, writeAll } from "./atomic_write.ts";
import { diskError } from "./errors.ts";
import type { LogPosition } from "./log_read.ts";
import type { Durability, MaosEvent, NewEvent } from "./schema.ts";

export {
  LOG_START,
  logEndsAt,
  type LogPosition,
  readRecentEvents,
  scanLog,
  type ScanResult,
} from "./log_read.ts";

/** Group commit window of the `batched` policy. */
export const BATCH_SYNC_MS = 100;

const encoder = new TextEncoder();
const NEWLINE = 0x0a;
let lastMs = 0;
let lastIso = new Date(0).toISOString();

/** The current time as ISO-8601; formatted once per millisecond, as appends come in bursts. */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/**
 * The append side of events.jsonl: one write of one whole line per event,
 * `seq` contiguous, synced according to the durability policy.
 */
export class EventLog {
  private readonly scratch = new Uint8Array(64 * 1024);
  private dirty = false;
  /** When the oldest unsynced append was written (batched). */
  private dirtySince = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /** The newest fdatasync under way in the thread pool. */
  private syncing: Promise<void> | undefined;
  /** A background group commit that failed: the next append reports it. */
  private failure: unknown;

  private constructor(
    readonly path: string,
    private fd: number,
    private position: LogPosition,
    readonly durability: Durability,
  ) {}

  /**
   * Open for appending after `end` (from scanLog). A torn tail past `end` is
   * cut off first, so the next event starts on a clean line.
   */
  static openForAppend(
    path: string,
    end: LogPosition,
    durability: Durability,
  ): EventLog {
    let fd: number;
    try {
      fd = fs.openSync(path, "a", 0o644);
      const size = fs.fstatSync(fd).size;
      if (size > end.offset) {
        fs.ftruncateSync(fd, end.offset);
        fs.fsyncSync(fd);
      }
    } catch (err) {
      throw diskError(err, path);
    }
    return new EventLog(path, fd, end, durability);
  }

  get lastSeq(): number {
    return this.position.seq;
  }

  get end(): LogPosition {
    return this.position;
  }

  /** Append one event; when this returns, it is in the file (and synced if strict). */
  append(event: NewEvent, at?: Date): MaosEvent {
    if (this.closed) throw new Error(`event log ${this.path} is closed`);
    if (this.failure) throw this.failure;
    const full = {
      seq: this.position.seq + 1,
      // isoNow also sets lastMs, the clock afterWrite reads.
      at: at ? at.toISOString() : isoNow(),
      ...event,
    } as MaosEvent;
    const bytes = this.encodeLine(JSON.stringify(full));
    try {
      writeAll(this.fd, bytes);
    } catch (err) {
      // A partial line may be on disk: cut it so the log stays whole.
      try {
        fs.ftruncateSync(this.fd, this.position.offset);
      } catch { /* the next opener's torn-tail repair handles it */ }
      throw diskError(err, this.path);
    }
    this.position = {
      seq: full.seq,
      offset: this.position.offset + bytes.length,
    };
    this.afterWrite();
    return full;
  }

  /**
   * `json` + LF as UTF-8, in a buffer reused across appends: a new array
   * (and a concatenated string) per event cost about a third of a `batched`
   * append (tests/bench/). The view is only valid until the next append.
   */
  private encodeLine(json: string): Uint8Array {
    // UTF-8 needs at most 3 bytes per UTF-16 unit; a rare huge event (a
    // restored state) gets its own array rather than a buffer kept forever.
    if (json.length * 3 + 1 > this.scratch.length) {
      return encoder.encode(json + "\n");
    }
    const { written } = encoder.encodeInto(json, this.scratch);
    this.scratch[written] = NEWLINE;
    return this.scratch.subarray(0, written + 1);
  }

  private afterWrite(): void {
    if (this.durability === "strict") {
      fs.fdatasyncSync(this.fd);
    } else if (this.durability === "batched") {
      if (!this.dirty) {
        this.dirty = true;
        this.dirtySince = lastMs || Date.now();
      } else if (lastMs - this.dirtySince >= BATCH_SYNC_MS) {
        // A busy event loop can hold the timer back: the window still holds.
        this.groupCommit();
        return;
      }
      this.timer ??= setTimeout(() => this.groupCommit(), BATCH_SYNC_MS);
    }
  }

  /** The batched policy's sync, waited for off the main thread; a failure is thrown by the next append. */
  private groupCommit(): void {
    this.syncAsync().catch((err) => (this.failure ??= err));
  }

  /** Make everything appended so far durable. */
  sync(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // A background sync not finished yet does not count: sync here too.
    if ((this.dirty || this.syncing) && !this.closed) {
      fs.fdatasyncSync(this.fd);
      this.dirty = false;
    }
  }

  /**
   * The same, with the fdatasync in the thread pool. Resolves once every
   * append made before the call is durable (waiting for a background sync
   * already under way when nothing was appended since it began).
   */
  async syncAsync(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed) return;
    if (!this.dirty) {
      await this.syncing;
      return;
    }
    this.dirty = false;
    const syncing = fdatasyncAsync(this.fd).catch((err) => {
      this.dirty = true;
      throw diskError(err, this.path);
    });
    this.syncing = syncing;
    try {
      await syncing;
    } finally {
      if (this.syncing === syncing) this.syncing = undefined;
    }
  }

  close(): void {
    if (this.closed) return;
    if (this.durability !== "relaxed") this.sync();
    if (this.timer) clearTimeout(this.timer);
    this.closed = true;
    fs.closeSync(this.fd);
  }
}
