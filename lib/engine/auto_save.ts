import type { Journal } from "../../store/journal.ts";

/** Ask for a save after this many messages even if the interval has not come round. */
export const SAVE_EVERY_MESSAGES = 10;
/**
 * Saves asked for in the background (messages, discoveries, the interval)
 * start at least this long after the previous one ended: an agent printing
 * thousands of messages a second gets a few snapshots a second, not one per
 * message. The snapshot is only a cache of the log, so nothing waits on it.
 */
export const MIN_SAVE_SPACING_MS = 100;

/** The one save that may wait for its turn; every request meanwhile joins it. */
interface Queued {
  promise: Promise<void>;
  resolve: () => void;
  /** Asked for by a moment that matters (task end, pause, end): no spacing. */
  urgent: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Progressive saving: the snapshot is written every `intervalSeconds` when
 * something changed, and soon after the moments that matter (every 10
 * messages, a discovery, a task or agent finishing, pause, end). Triggers
 * only ask for a save: at most one snapshot is being written and at most one
 * waits, so a flood of triggers costs one snapshot, not one each.
 */
export class AutoSaver {
  private timer: ReturnType<typeof setInterval> | undefined;
  private messagesSinceSave = 0;
  private inFlight = false;
  private queued: Queued | undefined;
  private lastEnded = -Infinity;
  private stopped = false;
  /** Snapshots written (for tests and figures: bounded however many triggers came). */
  saves = 0;
  /** Saves asked for. */
  requests = 0;

  constructor(
    private readonly journal: Journal,
    private intervalSeconds: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    this.stopped = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (this.journal.dirty) void this.request(false);
    }, this.intervalSeconds * 1000);
  }

  /** Stop the interval; a save still waiting is dropped (closing the journal snapshots). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopped = true;
    if (!this.inFlight) this.dropQueued();
  }

  setInterval(seconds: number): void {
    this.intervalSeconds = seconds;
    if (this.timer) this.start();
  }

  /** Count a message; a discovery, or every tenth message, asks for a save. */
  message(kind: string): void {
    this.messagesSinceSave++;
    if (kind === "discovery" || this.messagesSinceSave >= SAVE_EVERY_MESSAGES) {
      this.messagesSinceSave = 0;
      void this.request(false);
    }
  }

  /** Save soon; resolves once a snapshot taken after this call is written (or failed). */
  save(): Promise<void> {
    return this.request(true);
  }

  private request(urgent: boolean): Promise<void> {
    this.requests++;
    let queued = this.queued;
    if (!queued) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      queued = this.queued = { promise, resolve, urgent };
      if (!this.inFlight) this.schedule(queued);
    } else if (urgent && !queued.urgent) {
      queued.urgent = true;
      if (!this.inFlight) this.schedule(queued);
    }
    return queued.promise;
  }

  private schedule(queued: Queued): void {
    clearTimeout(queued.timer);
    const wait = queued.urgent
      ? 0
      : Math.max(0, this.lastEnded + MIN_SAVE_SPACING_MS - performance.now());
    queued.timer = setTimeout(() => void this.run(queued), wait);
  }

  private async run(queued: Queued): Promise<void> {
    // Requests from now on need a snapshot after this one: they queue anew.
    this.queued = undefined;
    this.inFlight = true;
    try {
      if (this.journal.dirty) {
        await this.journal.snapshotInBackground();
        this.saves++;
      }
    } catch (err) {
      this.onError(err);
    } finally {
      this.inFlight = false;
      this.lastEnded = performance.now();
      queued.resolve();
      if (this.stopped) this.dropQueued();
      else if (this.queued) this.schedule(this.queued);
    }
  }

  private dropQueued(): void {
    const waiting = this.queued;
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.queued = undefined;
    waiting.resolve();
  }
}
