import { Buffer } from "node:buffer";
import { readInbox, writeAttachment } from "../../store/inbox.ts";
import { MESSAGE_MAX_INLINE_BYTES } from "../../store/schema.ts";
import { refusalOf } from "./agent_token.ts";
import { LOG_START, scanLog } from "../../store/log_read.ts";
import type { Journal } from "../../store/journal.ts";
import { isApprovalLine, type MaosEvent } from "../../store/schema.ts";
import { eventOfLine, refusalOfDecision } from "../approvals/approvals_fold.ts";
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
  private readonly delivered: Map<string, number>;

  constructor(
    private readonly journal: Journal,
    private readonly onPersisted: (event: MaosEvent) => void,
    history: InboxMessage[] = [],
    /** Per agent, the seq through which it has seen its messages (see deliveredThrough). */
    delivered: ReadonlyMap<string, number> = new Map(),
    /** A body above this many bytes is kept in a file the event names. */
    private readonly maxInlineBytes = MESSAGE_MAX_INLINE_BYTES,
  ) {
    this.recent = history.slice(-BUS_WINDOW);
    this.delivered = new Map(delivered);
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
      /** Already in a file (a long inbox message): its preview is `content`. */
      contentFile?: string;
      contentBytes?: number;
    },
    inboxEnd?: number,
  ): MaosEvent {
    const body = message.contentFile !== undefined ||
        Buffer.byteLength(message.content) <= this.maxInlineBytes
      ? message
      : {
        ...message,
        ...writeAttachment(
          this.journal.paths,
          this.journal.id,
          message.content,
        ),
      };
    const event = this.journal.append({
      type: "message",
      from: message.from,
      to: message.to,
      kind: message.kind,
      content: body.content,
      ...(inboxEnd === undefined ? {} : { inboxEnd }),
      ...(body.contentFile === undefined ? {} : {
        contentFile: body.contentFile,
        contentBytes: body.contentBytes,
      }),
    });
    const delivered = toInboxMessage(event, this.journal.id);
    if (delivered) this.recent.push(delivered);
    if (this.recent.length > BUS_WINDOW) this.recent.shift();
    this.onPersisted(event);
    return event;
  }

  /** Messages for `agentId` it has not seen yet; marks them seen. */
  takeFor(agentId: string): InboxMessage[] {
    return this.takeTurnInbox(agentId).inbox;
  }

  /**
   * takeFor, plus the older unseen messages for the agent that the window
   * no longer holds (read back from the log, oldest first), so a turn's
   * inbox can say what it leaves out and give the whole one as a file.
   */
  takeTurnInbox(
    agentId: string,
  ): { inbox: InboxMessage[]; earlier: InboxMessage[] } {
    const since = this.delivered.get(agentId) ?? 0;
    const forMe = (m: { from: string; to: string | null }) =>
      m.from !== agentId && (m.to === null || m.to === agentId);
    const mine = this.recent.filter((m) => m.seq > since && forMe(m));
    const last = this.recent.at(-1)?.seq ?? since;
    this.delivered.set(agentId, Math.max(since, last));
    const oldest = this.recent[0]?.seq ?? 0;
    const earlier: InboxMessage[] = [];
    // Only a full window can have dropped messages this agent never saw.
    if (this.recent.length >= BUS_WINDOW && oldest > since + 1) {
      scanLog(this.journal.paths.events(this.journal.id), LOG_START, (e) => {
        if (e.type !== "message" || e.seq <= since || e.seq >= oldest) return;
        const m = toInboxMessage(e, this.journal.id);
        if (m && forMe(m)) earlier.push(m);
      });
    }
    return { inbox: mine, earlier };
  }

  /** Set by a run: take the checkpoint an inbox line asks for. */
  onCheckpointRequest: ((name: string, inboxEnd: number) => void) | undefined;
  private readonly checkpointsAsked = new Set<number>();

  /**
   * Move what `maos message send` and `maos mcp` left in inbox.jsonl into
   * the log, each line once: messages onto the bus, progress reports as
   * task.progress (checkpoint requests go to `onCheckpointRequest` and are
   * not counted). `noLiveTurn`: no agent's turn runs (resume, before any
   * starts), so a denial is a refusal at once (approvals_fold.ts).
   */
  ingestInbox(options: { noLiveTurn?: boolean } = {}): number {
    const { entries } = readInbox(
      this.journal.paths,
      this.journal.id,
      this.journal.state.inboxOffset,
      this.maxInlineBytes,
    );
    let taken = 0;
    for (const entry of entries) {
      const line = entry.message;
      if (line.kind === "checkpoint") {
        // Taken by the run (files saved now); the event it logs moves the offset.
        if (this.onCheckpointRequest && !this.checkpointsAsked.has(entry.end)) {
          this.checkpointsAsked.add(entry.end);
          this.onCheckpointRequest(line.name, entry.end);
        }
        continue;
      }
      taken++;
      const refused = refusalOf(line, this.journal.state);
      if (refused) {
        // Not taken as that agent's word; logged so `maos doctor` shows it.
        this.onPersisted(this.journal.append({
          type: "inbox.refused",
          from: line.from,
          kind: line.kind,
          reason: refused,
          inboxEnd: entry.end,
        }));
        continue;
      }
      if (line.kind === "progress") {
        // Recorded even when unchanged: its inboxEnd moves the ingest offset.
        const event = this.journal.append({
          type: "task.progress",
          task: line.task,
          progress: Math.round(line.percent),
          ...(line.note ? { note: line.note } : {}),
          inboxEnd: entry.end,
        });
        this.onPersisted(event);
        continue;
      }
      if (isApprovalLine(line)) {
        // An approval request, decision or note (lib/approvals/): numbered here.
        const body = eventOfLine(line, this.journal.state.approvals ?? []);
        // A decision on no known or an already answered request (two people
        // at once) is left: the first answer stands.
        if (!body) {
          taken--;
          continue;
        }
        const before = this.journal.state.approvals ?? [];
        const event = this.journal.append({ ...body, inboxEnd: entry.end });
        this.onPersisted(event);
        for (
          const follow of refusalOfDecision(
            before,
            event,
            options.noLiveTurn,
          )
        ) {
          this.onPersisted(this.journal.append(follow));
        }
        continue;
      }
      const { from, to, kind, content, contentFile, contentBytes } = line;
      this.publish(
        { from, to, kind, content, contentFile, contentBytes },
        entry.end,
      );
    }
    return taken;
  }
}

/**
 * A message event as the bus and the drivers see it. A body kept in a file
 * is its preview plus where the whole one is, under $MAOS_DIR (the agent
 * has it in its environment; no machine path is stored).
 */
export function toInboxMessage(
  event: MaosEvent,
  orchestrationId: string,
): InboxMessage | null {
  if (event.type !== "message") return null;
  return {
    seq: event.seq,
    from: event.from,
    to: event.to,
    type: event.kind,
    content: withFileNote(event, orchestrationId),
  };
}

/** A body's text for an agent: itself, or its start and where the whole one is. */
export function withFileNote(
  m: { content: string; contentFile?: string; contentBytes?: number },
  orchestrationId: string,
): string {
  if (m.contentFile === undefined) return m.content;
  return `${m.content}\n(the whole message, ${
    m.contentBytes ?? "?"
  } bytes, is in $MAOS_DIR/orchestrations/${orchestrationId}/${m.contentFile})`;
}

/**
 * What each agent had already been given before a resume, from the log
 * (oldest first): a turn that completed saw every message logged before it
 * started, so those are not delivered again. A turn that was cut or failed
 * runs again and gets its messages again; a checkpoint restore rewinds, so
 * what came before it counts as unseen.
 *
 * @example
 * deliveredThrough(events, (task) => state.tasks.find((t) => t.id === task)?.agent);
 */
export function deliveredThrough(
  events: Iterable<MaosEvent>,
  agentOf: (taskId: string) => string | undefined,
): Map<string, number> {
  const startedAt = new Map<string, number>();
  const delivered = new Map<string, number>();
  for (const event of events) {
    if (event.type === "checkpoint.restored") {
      startedAt.clear();
      delivered.clear();
    }
    if (event.type !== "task.status") continue;
    if (event.status === "running") {
      startedAt.set(event.task, event.seq);
      continue;
    }
    const started = startedAt.get(event.task);
    startedAt.delete(event.task);
    const agent = agentOf(event.task);
    if (event.status !== "completed" || started === undefined || !agent) {
      continue;
    }
    delivered.set(agent, Math.max(delivered.get(agent) ?? 0, started));
  }
  return delivered;
}
