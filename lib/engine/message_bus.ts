import { readInbox } from "../../store/inbox.ts";
import type { Journal } from "../../store/journal.ts";
import type { MaosEvent } from "../../store/schema.ts";
import type { InboxMessage, MessageKind } from "../drivers/driver.ts";

/** How many recent messages the bus keeps in memory (and reloads on resume). */
export const BUS_WINDOW = 200;

/**
 * The persistent message bus: every message is appended to the log the
 * moment it arrives, then delivered; an agent receives what is addressed to
 * it (or to everyone) at the start of its next turn.
 */
export class MessageBus {
  private readonly recent: InboxMessage[];
  private readonly delivered = new Map<string, number>();

  constructor(
    private readonly journal: Journal,
    private readonly onPersisted: (event: MaosEvent) => void,
    history: InboxMessage[] = [],
  ) {
    this.recent = history.slice(-BUS_WINDOW);
  }

  get size(): number {
    return this.recent.length;
  }

  /** Persist, then deliver. Returns the persisted event. */
  publish(
    message: {
      from: string;
      to: string | null;
      kind: MessageKind;
      content: string;
    },
    inboxEnd?: number,
  ): MaosEvent {
    const event = this.journal.append({
      type: "message",
      from: message.from,
      to: message.to,
      kind: message.kind,
      content: message.content,
      ...(inboxEnd === undefined ? {} : { inboxEnd }),
    });
    this.recent.push({ seq: event.seq, ...message, type: message.kind });
    if (this.recent.length > BUS_WINDOW) this.recent.shift();
    this.onPersisted(event);
    return event;
  }

  /** Messages for `agentId` it has not seen yet; marks them seen. */
  takeFor(agentId: string): InboxMessage[] {
    const since = this.delivered.get(agentId) ?? 0;
    const mine = this.recent.filter((m) =>
      m.seq > since && m.from !== agentId && (m.to === null || m.to === agentId)
    );
    const last = this.recent.at(-1)?.seq ?? since;
    this.delivered.set(agentId, Math.max(since, last));
    return mine;
  }

  /** Move messages that `maos message send` left in inbox.jsonl onto the bus, each once. */
  ingestInbox(): number {
    const { entries } = readInbox(
      this.journal.paths,
      this.journal.id,
      this.journal.state.inboxOffset,
    );
    for (const entry of entries) {
      const { from, to, kind, content } = entry.message;
      this.publish({ from, to, kind, content }, entry.end);
    }
    return entries.length;
  }
}

/** A message event as the bus and the drivers see it. */
export function toInboxMessage(event: MaosEvent): InboxMessage | null {
  if (event.type !== "message") return null;
  return {
    seq: event.seq,
    from: event.from,
    to: event.to,
    type: event.kind,
    content: event.content,
  };
}
