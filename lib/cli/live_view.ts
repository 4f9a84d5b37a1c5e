/**
 * The live view of a foreground run (`orchestrate`, `resume`): one readable
 * line per event that matters, agent output prefixed with its agent, and on
 * a terminal a progress line kept at the bottom.
 *
 * @module
 */

import type { RunOutcome, RunReporter } from "../engine/run_options.ts";
import { messageView } from "../queries/messages.ts";
import type { MaosEvent, OrchestrationState } from "../../store/schema.ts";
import {
  type Colors,
  createColors,
  formatDuration,
  plural,
  printable,
  progressBar,
  relativeTime,
  type Status,
  statusIcon,
  statusLabel,
  truncate,
} from "../ui/mod.ts";
import { formatCost, formatSpend, shortId } from "./_util.ts";
import { messageLine, oneLine } from "./render.ts";
import {
  approvalEventLine,
  refusalNote,
  waitingNote,
} from "./approval_render.ts";

/** Where the live view writes: process.stdout / process.stderr, or a test buffer. */
export interface LiveSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface LiveViewOptions {
  /** Live lines go here: stdout normally, stderr with --json. */
  sink: LiveSink;
  /** Warnings go here (stderr). */
  warnSink: LiveSink;
  color: boolean;
  /** Show events, agent output and the progress line (off: --no-progress). */
  progress: boolean;
  /** Nothing but warnings (--quiet). */
  quiet: boolean;
}

// Carriage return + erase line: replace the progress line in place.
const CLEAR_LINE = "\r\x1b[2K";

export class LiveView implements RunReporter {
  /** The orchestration being run, known from its first event. */
  orchestrationId: string | undefined;
  /** The state after the last event seen. */
  lastState: OrchestrationState | undefined;
  private failReason: string | undefined;
  /**
   * The newest seq shown: the engine reports events in log order, so an
   * event reported twice is printed once (a set of every seq would grow by
   * one entry per message).
   */
  private lastSeq = 0;
  /** This run has paused: the engine's lines now are the pause notice. */
  private paused = false;
  private footerShown = false;
  private readonly c: Colors;
  private readonly tty: boolean;

  constructor(private readonly options: LiveViewOptions) {
    this.c = createColors(options.color);
    this.tty = options.sink.isTTY === true && options.progress &&
      !options.quiet;
  }

  /** Engine lines; with --quiet only the pause notice (how to resume) is kept. */
  line(text: string): void {
    if (!this.options.quiet || this.paused) {
      this.print(printable(text, { newlines: true }));
    }
  }

  /** The engine also uses this for pause notices, so no "warning:" label. */
  warn(text: string): void {
    this.clearFooter();
    const lead = /^\n*/.exec(text)?.[0] ?? "";
    const rest = printable(text.slice(lead.length), { newlines: true });
    this.options.warnSink.write(`${lead}${this.c.yellow(rest)}\n`);
    this.drawFooter();
  }

  resumePanel(state: OrchestrationState, shownStatus: string): void {
    if (this.options.quiet) return;
    const c = this.c;
    const now = new Date();
    const done = state.tasks.filter((t) => t.status === "completed").length;
    const row = (label: string, value: string) =>
      `   ${c.dim(label.padEnd(15))}${value}`;
    this.print(
      [
        `📋 ${c.bold(`Resuming orchestration ${shortId(state.id)}`)}`,
        row("Request:", oneLine(state.request)),
        row("Status:", statusLabel(shownStatus as Status, c)),
        row("Created:", relativeTime(state.createdAt, now)),
        row("Agents:", String(state.agents.length)),
        row("Progress:", progressBar(done, state.tasks.length, 20)),
        row("Last activity:", relativeTime(state.updatedAt, now)),
      ].join("\n"),
    );
  }

  output(agentId: string, line: string): void {
    if (!this.verbose) return;
    // A CRLF line end is just an end; any other CR is shown, not obeyed.
    const text = printable(line.replace(/\r$/, ""));
    this.print(this.c.dim(`[${agentId}] ${text}`));
  }

  event(event: MaosEvent, state: OrchestrationState): void {
    if (event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    this.orchestrationId ??= state.id;
    this.lastState = state;
    if (event.type === "orchestration.failed") this.failReason = event.reason;
    if (event.type === "orchestration.paused") this.paused = true;
    if (event.type === "inbox.refused") {
      // Someone wrote as an agent without its token: shown even with --quiet.
      this.warn(
        `refused an inbox line from ${oneLine(event.from)}: ${
          oneLine(event.reason)
        }`,
      );
    }
    if (!this.verbose) return;
    const text = this.describe(event, state);
    if (text !== null) this.print(text);
    else this.drawFooter(true);
  }

  /** Clear the progress line and print how the run ended (--quiet too: it is the result). */
  finish(outcome: RunOutcome): void {
    this.clearFooter();
    const s = this.lastState;
    if (!s || outcome === "paused" || outcome === "budget") return;
    const done = s.tasks.filter((t) => t.status === "completed").length;
    const took = formatDuration(
      Date.parse(s.updatedAt) - Date.parse(s.createdAt),
    );
    const facts = `${done}/${s.tasks.length} tasks · ${
      plural(s.messages, "message")
    } · ${formatSpend(s.cost, s.inputTokens, s.outputTokens)} · ${took}`;
    if (outcome === "completed") {
      this.print(
        `${statusIcon("completed")} ${
          this.c.green("Orchestration completed")
        } (${facts})`,
      );
    } else {
      const reason = this.failReason ? `: ${oneLine(this.failReason)}` : "";
      this.print(
        `${statusIcon("failed")} ${
          this.c.red(`Orchestration failed${reason}`)
        } (${facts})`,
      );
      if (!this.options.quiet) {
        // Where the reason is: status names each failed task's, the logs hold what the agent printed.
        const failed = s.tasks.find((t) => t.status === "failed");
        this.print(
          this.c.dim(
            `See why: maos orchestration status ${shortId(s.id)}` +
              (failed
                ? ` · what ${failed.agent} printed: maos agent logs ${
                  shortId(s.id)
                } ${failed.agent} --task ${failed.id} --tail 20`
                : ""),
          ),
        );
      }
    }
  }

  private get verbose(): boolean {
    return this.options.progress && !this.options.quiet;
  }

  /** The line for an event, or null for events only the progress line shows. */
  private describe(event: MaosEvent, state: OrchestrationState): string | null {
    const c = this.c;
    switch (event.type) {
      case "orchestration.created":
        return `🚀 ${c.bold(`Orchestration ${shortId(event.id)}`)}: ${
          truncate(oneLine(event.request), 70)
        }\n   ${plural(event.plan.agents.length, "agent")}, ${
          plural(event.plan.tasks.length, "task")
        }, driver ${event.driver}`;
      case "orchestration.resumed":
        return event.task
          ? `➕ New task for the team: ${oneLine(event.task)}`
          : null;
      case "task.status":
        return this.describeTask(event, state);
      case "task.added":
        return `➕ New task for ${event.task.agent}: ${
          oneLine(event.task.title)
        }`;
      case "message":
        return messageLine(messageView(event)[0], state.id);
      case "checkpoint.created":
        // One auto-checkpoint per finished task would be noise; manual ones are news.
        return event.auto
          ? null
          : c.dim(`💾 Checkpoint ${oneLine(event.name)}`);
      case "checkpoint.restored":
        return `⏪ Restored checkpoint ${shortId(event.checkpoint)}`;
      default:
        return approvalEventLine(event, state, c);
    }
  }

  private describeTask(
    event: Extract<MaosEvent, { type: "task.status" }>,
    state: OrchestrationState,
  ): string | null {
    const c = this.c;
    const task = state.tasks.find((t) => t.id === event.task);
    const who = c.bold(`[${task?.agent ?? "?"}]`);
    const title = oneLine(task?.title ?? event.task);
    const count = this.tty ? "" : c.dim(` (${this.progressText(state)})`);
    switch (event.status) {
      case "running":
        return `${statusIcon("running")} ${who} ${
          (task?.starts ?? 1) > 1 ? "resumed" : "started"
        }: ${title}`;
      case "completed":
        return `${statusIcon("completed")} ${who} completed: ${title}${
          task ? c.yellow(refusalNote(task)) : ""
        }${count}${
          event.summary
            ? c.dim(` — ${truncate(oneLine(event.summary), 100)}`)
            : ""
        }`;
      case "failed":
        return `${statusIcon("failed")} ${who} ${c.red("failed")}: ${title}${
          event.summary ? ` — ${truncate(oneLine(event.summary), 160)}` : ""
        }`;
      case "interrupted":
      case "paused": {
        const waiting = waitingNote(state, event.task);
        return waiting
          ? `✋ ${who} ${waiting.replace(/^✋ /, "")}: ${title}`
          : `${statusIcon("paused")} ${who} paused: ${title}`;
      }
      default:
        return null;
    }
  }

  private progressText(state: OrchestrationState): string {
    const done = state.tasks.filter((t) => t.status === "completed").length;
    return `${done}/${state.tasks.length}`;
  }

  private print(text: string): void {
    this.clearFooter();
    this.options.sink.write(text.endsWith("\n") ? text : text + "\n");
    this.drawFooter();
  }

  private clearFooter(): void {
    if (this.footerShown) {
      this.options.sink.write(CLEAR_LINE);
      this.footerShown = false;
    }
  }

  /** On a TTY: `[████░░░░] 2/5 (40%) · 2 running · $0.12` at the bottom. */
  private drawFooter(redraw = false): void {
    const s = this.lastState;
    if (!this.tty || !s || s.tasks.length === 0 || s.status !== "running") {
      return;
    }
    if (redraw) this.clearFooter();
    const running = s.tasks.filter((t) => t.status === "running");
    // A running task's own percentage counts as that fraction of one task.
    const partial = running.reduce((sum, t) => sum + t.progress / 100, 0);
    const done = s.tasks.filter((t) => t.status === "completed").length;
    const bar = progressBar(done, s.tasks.length, 20);
    const doing = running.length
      ? ` · ${running.length} running${
        partial > 0 ? ` (${Math.round((partial / running.length) * 100)}%)` : ""
      }`
      : "";
    this.options.sink.write(
      this.c.cyan(bar) + this.c.dim(`${doing} · ${formatCost(s.cost)}`),
    );
    this.footerShown = true;
  }
}
