/**
 * Reads Claude Code's `--output-format stream-json` stdout, one JSON object
 * per line (shared/CLAUDE-PROTOCOL.md), and turns it into driver events as
 * each line arrives: the session id at once, assistant text as output (its
 * `::maos::` lines as messages and progress), and what the invocation spent.
 */
import type { DriverEvent, UsageEvent } from "./driver.ts";
import { isObject, type Json, parseObject } from "./json_line.ts";
import { parseMaosLine, parseMaosText } from "./maos_lines.ts";

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
  /** Usage of each streamed API message by id: the estimate when no result comes. */
  #streamed = new Map<string, { input: number; output: number }>();

  constructor(private readonly emit: (e: DriverEvent) => void) {}

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
    // id and usage: keep the latest per id, so none is counted twice.
    const usage = tokensOf(message.usage);
    if (usage && typeof message.id === "string") {
      this.#streamed.set(message.id, usage);
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
        for (const event of parseMaosText(block.text)) this.emit(event);
      } else if (block.type === "tool_use" && typeof block.name === "string") {
        this.emit({
          type: "output",
          line: `[tool] ${block.name} ${brief(block.input)}`,
        });
      }
    }
  }

  /**
   * When the process ended without a result line (killed): what the streamed
   * assistant lines say it used, tokens only — the dollars of a cut
   * invocation are not known. Nothing when nothing was streamed.
   */
  streamedUsage(): UsageEvent | undefined {
    const sum = this.result ? undefined : this.#streamedSum();
    return sum &&
      { type: "usage", inputTokens: sum.input, outputTokens: sum.output };
  }

  /**
   * The streamed lines' usage, summed over API messages. Their output count
   * is the one at the message's start (measured: 1 where the result says
   * 40), so for a cut run it is a lower bound.
   */
  #streamedSum(): { input: number; output: number } | undefined {
    if (this.#streamed.size === 0) return undefined;
    let input = 0, output = 0;
    for (const u of this.#streamed.values()) {
      input += u.input;
      output += u.output;
    }
    return { input, output };
  }

  #result(msg: Json): void {
    const cost = msg.total_cost_usd;
    const totalCostUsd = typeof cost === "number" && Number.isFinite(cost) &&
        cost >= 0
      ? cost
      : undefined;
    // total_cost_usd and usage are this invocation's (an interrupted one's
    // too), not the session's: the engine adds them up. A run interrupted
    // mid-message reports 0 for that message though its input was streamed
    // (measured): the larger count of the two is kept.
    const usage = tokensOf(msg.usage);
    const streamed = this.#streamedSum();
    if (totalCostUsd !== undefined || usage || streamed) {
      this.emit({
        type: "usage",
        ...(totalCostUsd === undefined ? {} : { costUsd: totalCostUsd }),
        inputTokens: Math.max(usage?.input ?? 0, streamed?.input ?? 0),
        outputTokens: Math.max(usage?.output ?? 0, streamed?.output ?? 0),
      });
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
