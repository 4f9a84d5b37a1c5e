/**
 * Reads Claude Code's `--output-format stream-json` stdout, one JSON object
 * per line (shared/CLAUDE-PROTOCOL.md), and turns it into driver events as
 * each line arrives: the session id at once, assistant text as output (its
 * `::maos::` lines as messages and progress), and what the invocation spent.
 */
import type { TokenPricing } from "../../store/schema.ts";
import type { DriverEvent } from "./driver.ts";
import { isObject, type Json, parseObject } from "./json_line.ts";
import { parseMaosLine, parseMaosText } from "./maos_lines.ts";
import {
  type LearnedPrices,
  learnPrices,
  type MessageUsage,
  priceUsage,
} from "./claude_prices.ts";

/** The fields of the final `result` line that the driver uses. */
export interface ClaudeResult {
  subtype: string;
  isError: boolean;
  text: string;
  errors: string[];
  totalCostUsd?: number;
}

/**
 * Feed it stdout lines; read `sessionId`, `result` and `authFailed` when the
 * process has ended.
 *
 * @example
 * const stream = new ClaudeStream(run.emit);
 * await runAgentProcess({ ..., onLine: (l) => stream.onLine(l) });
 * stream.result?.isError;
 */
export class ClaudeStream {
  /** The latest session id seen (init, assistant or result line). */
  sessionId: string | undefined;
  /** The final result, when the stream got that far. */
  result: ClaudeResult | undefined;
  /** An assistant turn carried `"error": "authentication_failed"`. */
  authFailed = false;
  /** The text of that turn (the CLI's reason). */
  authText = "";
  /** Usage of each streamed API message by id, as far as it has come. */
  #streamed = new Map<string, MessageUsage>();
  /** What was emitted as estimates so far: the result line takes it back. */
  #estimated = { costUsd: 0, inputTokens: 0, outputTokens: 0 };
  /** The model of the latest message, to price what the result left out. */
  #model = "";
  /** What the CLI is waiting on, when the stream says (for the stall notice). */
  waitingFor: string | undefined;
  /** The model's latest answer ended its turn (stop_reason end_turn): nothing was left to do. */
  endedTurn = false;
  /** The text of the latest assistant text block: the turn's answer. */
  lastText = "";

  constructor(
    private readonly emit: (e: DriverEvent) => void,
    private readonly prices?: Record<string, TokenPricing>,
    /** Shared by the driver's runs: each result's modelUsage corrects the prices. */
    private readonly learned: LearnedPrices = new Map(),
  ) {}

  /** Handle one stdout line; a line that is not a JSON object is plain output. */
  onLine(line: string): void {
    const msg = parseObject(line);
    if (!msg || typeof msg.type !== "string") {
      if (line.trim() !== "") this.emit(parseMaosLine(line));
      return;
    }
    // A failed resume ends with a result naming a fresh id that holds no
    // conversation: an error result is no source of a session id.
    if (msg.type !== "result" || msg.is_error !== true) {
      this.#session(msg.session_id);
    }
    switch (msg.type) {
      case "assistant":
        return this.#assistant(msg);
      case "stream_event":
        return this.#streamEvent(msg.event, String(msg.parent_tool_use_id));
      case "user":
        this.#waiting("the model to answer");
        return;
      case "system":
        if (msg.subtype === "init") this.#waiting("the model to answer");
        return;
      case "result":
        return this.#result(msg);
      default:
        // system/init carries only the session id; user (tool results),
        // stream_event and future types are not shown.
        return;
    }
  }

  #session(id: unknown): void {
    if (typeof id !== "string" || id === "" || id === this.sessionId) return;
    this.sessionId = id;
    this.emit({ type: "session", sessionId: id });
  }

  #assistant(msg: Json): void {
    const message = isObject(msg.message) ? msg.message : {};
    // One API message comes as several lines (a block each) with the same
    // id and usage: counted once per id, as far as its usage has grown.
    if (typeof message.id === "string") {
      this.#usage(message.id, message.model, message.usage);
    }
    const content = Array.isArray(message.content) ? message.content : [];
    if (msg.error === "authentication_failed") {
      this.authFailed = true;
      this.authText = content.map((b) =>
        isObject(b) && typeof b.text === "string" ? b.text : ""
      ).join(" ");
    }
    for (const block of content) {
      if (!isObject(block)) continue;
      if (block.type === "text" && typeof block.text === "string") {
        this.lastText = block.text;
        for (const event of parseMaosText(block.text)) this.emit(event);
      } else if (block.type === "tool_use" && typeof block.name === "string") {
        this.emit({
          type: "output",
          line: `[tool] ${block.name} ${brief(block.input)}`,
        });
        this.#waiting(`its ${block.name} call to finish`);
      }
    }
  }

  /**
   * `--include-partial-messages`: message_start carries the input usage,
   * message_delta the output so far; each is counted as it comes.
   */
  #streamEvent(event: unknown, thread: string): void {
    if (!isObject(event)) return;
    // Every chunk is a sign of life (a long answer streams for minutes).
    this.emit({ type: "activity" });
    if (event.type === "message_start" && isObject(event.message)) {
      const m = event.message;
      // Said before its cost: a budget reached by it waits for its end.
      this.waitingFor = "the model to finish its answer";
      this.emit({
        type: "activity",
        waitingFor: "the model to finish its answer",
        answering: true,
      });
      if (typeof m.id === "string") {
        this.#current.set(thread, m.id);
        this.#usage(m.id, m.model, m.usage);
      }
    } else if (event.type === "message_delta" && this.#current.has(thread)) {
      // The answer is complete. With end_turn no call follows, so a budget
      // reached by it need not cut the turn (said before its cost).
      const delta = isObject(event.delta) ? event.delta : {};
      const last = delta.stop_reason === "end_turn";
      this.endedTurn = last;
      this.emit({
        type: "activity",
        answering: false,
        ...(last
          ? { finishing: true, waitingFor: "Claude Code to finish" }
          : {}),
      });
      this.#usage(this.#current.get(thread)!, undefined, event.usage);
    }
  }

  /** The message streaming now, per thread (the main one, or a sub-agent's parent tool call). */
  #current = new Map<string, string>();

  #waiting(what: string): void {
    this.waitingFor = what;
    this.emit({ type: "activity", waitingFor: what });
  }

  /**
   * Grow one message's usage (counts only go up: a later line may repeat
   * the start's figures) and emit what it added, priced, as an estimate.
   */
  #usage(id: string, model: unknown, raw: unknown): void {
    const seen = this.#streamed.get(id) ??
      {
        model: typeof model === "string" ? model : this.#model,
        input: 0,
        cacheWrite: 0,
        cacheRead: 0,
        output: 0,
      };
    if (typeof model === "string" && model) seen.model = model;
    this.#model = seen.model;
    const usage = isObject(raw) ? raw : {};
    const next: MessageUsage = {
      model: seen.model,
      input: Math.max(seen.input, count(usage.input_tokens)),
      cacheWrite: Math.max(
        seen.cacheWrite,
        count(usage.cache_creation_input_tokens),
      ),
      cacheRead: Math.max(seen.cacheRead, count(usage.cache_read_input_tokens)),
      output: Math.max(seen.output, count(usage.output_tokens)),
    };
    this.#streamed.set(id, next);
    // Rounded: a sum of prices is not exact in binary, and the log keeps it.
    const costUsd = Math.round(
      (priceUsage(next, this.prices, this.learned) -
        priceUsage(seen, this.prices, this.learned)) * 1e9,
    ) / 1e9;
    const inputTokens = allInput(next) - allInput(seen);
    const outputTokens = next.output - seen.output;
    if (inputTokens === 0 && outputTokens === 0) return;
    this.#estimated.costUsd += costUsd;
    this.#estimated.inputTokens += inputTokens;
    this.#estimated.outputTokens += outputTokens;
    this.emit({
      type: "usage",
      costUsd,
      inputTokens,
      outputTokens,
      estimated: true,
    });
  }

  #result(msg: Json): void {
    const cost = msg.total_cost_usd;
    const totalCostUsd = typeof cost === "number" && Number.isFinite(cost) &&
        cost >= 0
      ? cost
      : undefined;
    // total_cost_usd and usage are this invocation's (an interrupted one's
    // too), not the session's: the engine adds them up, taking back the
    // estimates streamed before.
    learnPrices(msg.modelUsage, this.learned, this.prices);
    const usage = tokensOf(msg.usage);
    const streamed = this.#estimated;
    if (totalCostUsd !== undefined || usage) {
      // A result may say fewer tokens than were streamed (measured: 0 when
      // stopped at --max-budget-usd, 0 for a message cut by SIGINT): the
      // larger count of the two is kept.
      this.emit({
        type: "usage",
        ...(totalCostUsd === undefined ? {} : { costUsd: totalCostUsd }),
        inputTokens: Math.max(usage?.input ?? 0, streamed.inputTokens),
        outputTokens: Math.max(usage?.output ?? 0, streamed.outputTokens),
        replaces: { ...streamed },
      });
      // A run interrupted mid-message reports $0 for that message though
      // its input was streamed (measured): what the CLI left out of its
      // dollars stays counted, at maos's price, as an estimate.
      const missed = (usage?.input ?? 0) < streamed.inputTokens ||
        (usage?.output ?? 0) < streamed.outputTokens;
      const short = streamed.costUsd - (totalCostUsd ?? 0);
      if (missed && short > 1e-9) {
        this.emit({
          type: "usage",
          costUsd: short,
          inputTokens: 0,
          outputTokens: 0,
          estimated: true,
        });
      }
    }
    // The only machine-readable trace of a refused call (CLAUDE-PROTOCOL.md).
    if (Array.isArray(msg.permission_denials)) {
      for (const d of msg.permission_denials) {
        if (!isObject(d) || typeof d.tool_name !== "string") continue;
        this.emit({
          type: "denied",
          tool: d.tool_name,
          input: isObject(d.tool_input) ? d.tool_input : {},
          ...(typeof d.tool_use_id === "string"
            ? { toolUseId: d.tool_use_id }
            : {}),
        });
      }
    }
    this.#estimated = { costUsd: 0, inputTokens: 0, outputTokens: 0 };
    this.result = {
      subtype: typeof msg.subtype === "string" ? msg.subtype : "unknown",
      // Trust is_error, not subtype: no login ends with subtype "success".
      isError: msg.is_error === true,
      text: typeof msg.result === "string" ? msg.result : "",
      errors: Array.isArray(msg.errors) ? msg.errors.map(String) : [],
      totalCostUsd,
    };
  }
}

/** A token count from the wire: a whole number ≥ 0. */
function count(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) && v > 0
    ? Math.round(v)
    : 0;
}

function allInput(u: MessageUsage): number {
  return u.input + u.cacheWrite + u.cacheRead;
}

/**
 * Anthropic usage: all input (uncached, cache writes and cache reads) and
 * the output tokens; undefined when there is no usage object.
 */
function tokensOf(
  usage: unknown,
): { input: number; output: number } | undefined {
  if (!isObject(usage)) return undefined;
  const n = (v: unknown) =>
    typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.round(v) : 0;
  return {
    input: n(usage.input_tokens) + n(usage.cache_creation_input_tokens) +
      n(usage.cache_read_input_tokens),
    output: n(usage.output_tokens),
  };
}

/** A tool call's input on one short line. */
function brief(input: unknown): string {
  const text = JSON.stringify(input ?? {}) ?? "";
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
