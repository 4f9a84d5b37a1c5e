/**
 * Reads `codex exec --json` stdout, one JSON object per line (the Codex part
 * of shared/CLAUDE-PROTOCOL.md), and turns it into driver events as each
 * line arrives: the thread id at once, agent messages as output (their
 * `::maos::` lines as messages and progress), commands and file changes as
 * brief output lines. Token usage and failures are kept for the driver.
 */
import type { DriverEvent, SessionTotals } from "./driver.ts";
import { isObject, type Json, parseObject } from "./json_line.ts";
import { parseMaosLine, parseMaosText } from "./maos_lines.ts";

/** Codex retries a failed request ("Reconnecting... n/5") before giving up. */
const RECONNECTING = /^Reconnecting\.\.\./;
/** Codex 0.169 with no route to the model (measured): "Reconnecting... waiting for network (Connection failed: …)". */
const NO_NETWORK = /^Reconnecting\.\.\. waiting for network \((.*)\)$/;
/** A refused key or login: retrying cannot help. */
const UNAUTHORIZED = /\b401\b|Unauthorized/i;
/** The provider's API key variable is not set (measured: "Missing environment variable: `X`."). */
const MISSING_KEY = /^Missing environment variable: `([^`]+)`/;

/**
 * Feed it stdout lines; read `threadId`, `totals`, `failure`, `unauthorized`
 * and `lastMessage` when the process has ended.
 *
 * @example
 * const stream = new CodexStream(run.emit);
 * await runAgentProcess({ ..., onLine: (l) => stream.onLine(l) });
 * stream.totals; // the thread's token counters after this turn
 */
export class CodexStream {
  /** The thread id from `thread.started`: what `codex exec resume` takes. */
  threadId: string | undefined;
  /**
   * `turn.completed.usage`: the thread's running token counters (measured:
   * a resumed thread reports the earlier turns' tokens too), not this run's.
   */
  totals: SessionTotals | undefined;
  /** Why the turn failed (`turn.failed`, or the last `error` line). */
  failure: string | undefined;
  /** The turn ended with `turn.failed`. */
  turnFailed = false;
  /** The model API refused the key (HTTP 401). */
  unauthorized = false;
  /** The provider's API key variable that is not set, when Codex said so. */
  missingKey: string | undefined;
  /** The text of the last agent message: the turn's answer. */
  lastMessage: string | undefined;
  /** Set when Codex kept reconnecting past `maxReconnects`: why it could not reach the model. */
  unreachable: string | undefined;
  #reconnects = 0;
  #offlineTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly emit: (e: DriverEvent) => void,
    /** Called once when retrying cannot help (a 401, or too many reconnects): the driver stops it. */
    private readonly onUnauthorized: () => void = () => {},
    /**
     * Codex without network reconnects without end ("waiting for network",
     * which no retry setting bounds): after this many, give up.
     */
    private readonly maxReconnects = Infinity,
  ) {}

  /** Handle one stdout line; a line that is not a JSON object is plain output. */
  onLine(line: string): void {
    const msg = parseObject(line);
    if (!msg || typeof msg.type !== "string") {
      if (line.trim() !== "") this.emit(parseMaosLine(line));
      return;
    }
    if (msg.type !== "error" && this.#offlineTimer !== undefined) {
      // The network came back: the wait was worth it.
      clearTimeout(this.#offlineTimer);
      this.#offlineTimer = undefined;
    }
    switch (msg.type) {
      case "thread.started":
        return this.#thread(msg.thread_id);
      case "item.completed":
        return this.#item(isObject(msg.item) ? msg.item : {});
      case "turn.started":
        this.emit({ type: "activity", waitingFor: "the model to answer" });
        return;
      case "turn.completed":
        this.totals = totalsOf(msg.usage) ?? this.totals;
        return;
      case "turn.failed": {
        this.turnFailed = true;
        const error = isObject(msg.error) ? msg.error : {};
        if (typeof error.message === "string") this.#error(error.message);
        return;
      }
      case "error":
        if (typeof msg.message === "string") this.#error(msg.message);
        return;
      default:
        // turn.started, item.started/updated and future types are not shown.
        return;
    }
  }

  #thread(id: unknown): void {
    if (typeof id !== "string" || id === "" || id === this.threadId) return;
    this.threadId = id;
    this.emit({ type: "session", sessionId: id });
  }

  #item(item: Json): void {
    switch (item.type) {
      case "agent_message":
        if (typeof item.text !== "string") return;
        this.lastMessage = item.text;
        for (const event of parseMaosText(item.text)) this.emit(event);
        return;
      case "command_execution": {
        const exit = typeof item.exit_code === "number"
          ? ` (exit ${item.exit_code})`
          : "";
        return this.#output(`[command] ${oneLine(item.command)}${exit}`);
      }
      case "file_change": {
        const changes = Array.isArray(item.changes) ? item.changes : [];
        const list = changes.filter(isObject)
          .map((c) => `${String(c.kind ?? "change")} ${String(c.path ?? "?")}`)
          .join(", ");
        return this.#output(`[files] ${oneLine(list)}`);
      }
      case "mcp_tool_call":
        return this.#output(
          `[mcp] ${oneLine(item.server)}.${oneLine(item.tool)}`,
        );
      case "web_search":
        return this.#output(`[search] ${oneLine(item.query)}`);
      case "error":
        // Warnings inside a turn (e.g. unknown model metadata): shown, not fatal.
        return this.#output(`[codex] ${oneLine(item.message)}`);
      default:
        // reasoning, todo_list and future item types are not shown.
        return;
    }
  }

  #error(message: string): void {
    if (UNAUTHORIZED.test(message) && !this.unauthorized) {
      this.unauthorized = true;
      this.onUnauthorized();
    }
    const key = MISSING_KEY.exec(message)?.[1];
    if (key) this.missingKey = key;
    if (RECONNECTING.test(message)) {
      // A retry is news, not the reason: the reason comes last.
      if (!this.unauthorized) this.#output(`[codex] ${oneLine(message)}`);
      this.emit({ type: "activity", waitingFor: "the model to be reachable" });
      const offline = NO_NETWORK.exec(message)?.[1];
      if (offline !== undefined) {
        // No connection at all: Codex waits for the network without end,
        // backing off 5 s, 10 s …; maos waits a second per allowed retry.
        this.#giveUpSoon(offline);
      } else if (++this.#reconnects > this.maxReconnects) {
        this.#giveUp(
          message.replace(RECONNECTING, "").replace(/^\s*\d+\/\d+\s*/, ""),
        );
      }
      return;
    }
    this.failure = oneLine(message);
  }

  #giveUpSoon(why: string): void {
    if (this.#offlineTimer !== undefined || this.unreachable) return;
    this.#offlineTimer = setTimeout(
      () => this.#giveUp(why),
      Math.min(this.maxReconnects, 10) * 1000,
    );
  }

  #giveUp(why: string): void {
    if (this.unreachable) return;
    this.unreachable = oneLine(why);
    this.onUnauthorized();
  }

  /** The process ended: no give-up timer may outlive it. */
  close(): void {
    clearTimeout(this.#offlineTimer);
  }

  #output(line: string): void {
    this.emit({ type: "output", line });
  }
}

/**
 * Codex usage: `input_tokens` (cached included, as OpenAI counts),
 * `cached_input_tokens`, `output_tokens` (reasoning included).
 */
function totalsOf(usage: unknown): SessionTotals | undefined {
  if (!isObject(usage)) return undefined;
  const n = (v: unknown) =>
    typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.round(v) : 0;
  return {
    inputTokens: n(usage.input_tokens),
    cachedInputTokens: n(usage.cached_input_tokens),
    outputTokens: n(usage.output_tokens),
  };
}

/** A value on one short line. */
function oneLine(value: unknown): string {
  const text = String(value ?? "").replace(/\s+/g, " ").trim();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
