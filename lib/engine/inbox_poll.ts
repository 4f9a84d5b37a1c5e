/**
 * Picks up `maos message send` lines from inbox.jsonl while a run goes on,
 * so agents see each other's messages without waiting for a turn to end.
 *
 * @module
 */
import type { MessageBus } from "./message_bus.ts";
import { errorText } from "../../store/errors.ts";

/** How often `maos message send` messages are picked up from inbox.jsonl. */
const INBOX_POLL_MS = 250;

export class InboxPoll {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly bus: MessageBus,
    private readonly warn: (text: string) => void,
    /** Called when lines were ingested (the run may have more to start). */
    private readonly onIngested: () => void = () => {},
  ) {}

  start(): void {
    this.timer = setInterval(() => this.ingestNow(), INBOX_POLL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Ingest what is there now; a bad inbox is a warning, never the end of the run. */
  ingestNow(): void {
    try {
      if (this.bus.ingestInbox() > 0) this.onIngested();
    } catch (err) {
      this.warn(`could not read inbox.jsonl: ${errorText(err)}`);
    }
  }
}
