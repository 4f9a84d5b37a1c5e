import type { Journal } from "../../store/journal.ts";

/** Save after this many messages even if the interval has not come round. */
export const SAVE_EVERY_MESSAGES = 10;

/**
 * Progressive saving: the snapshot is written every `intervalSeconds` when
 * something changed, and at once on the moments that matter (every 10
 * messages, a discovery, a task or agent finishing, pause, end).
 */
export class AutoSaver {
  private timer: ReturnType<typeof setInterval> | undefined;
  private messagesSinceSave = 0;
  saves = 0;

  constructor(
    private readonly journal: Journal,
    private intervalSeconds: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    this.stop();
    this.timer = setInterval(() => {
      if (this.journal.dirty) void this.save();
    }, this.intervalSeconds * 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  setInterval(seconds: number): void {
    this.intervalSeconds = seconds;
    if (this.timer) this.start();
  }

  /** Count a message; a discovery, or every tenth message, saves at once. */
  async message(kind: string): Promise<void> {
    this.messagesSinceSave++;
    if (kind === "discovery" || this.messagesSinceSave >= SAVE_EVERY_MESSAGES) {
      await this.save();
    }
  }

  async save(): Promise<void> {
    try {
      await this.journal.snapshot();
      this.messagesSinceSave = 0;
      this.saves++;
    } catch (err) {
      this.onError(err);
    }
  }
}
