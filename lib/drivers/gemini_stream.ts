/**
 * Reads the Gemini CLI's `-o stream-json` stdout, one JSON object per line
 * (the Gemini part of shared/CLAUDE-PROTOCOL.md), and turns it into driver
 * events as each line arrives: the session id of `init` at once, assistant
 * text as output once a message is whole (its `::maos::` lines as messages
 * and progress), tool calls and their failures as brief output lines. Its
 * stderr is read too, for the API retries the CLI makes on its own.
 */
import type { DriverEvent } from "./driver.ts";
import { isObject, type Json, parseObject } from "./json_line.ts";
import { parseMaosLine, parseMaosText } from "./maos_lines.ts";

/** What the final `result` line said. */
export interface GeminiResult {
  ok: boolean;
  /** `error.message` of a failed run. */
  error?: string;
  /** Tokens of this invocation (measured: not the session's running total). */
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
}

/** A call refused by the CLI's policy (no allow rule; measured on 0.61.0). */
const DENIED = /denied by policy/i;

/** `Attempt 2 failed with status 500. Retrying with backoff... _ApiError: {…}` (stderr). */
const RETRY_LINE = /^Attempt (\d+) failed(?: with status (\d+))?/;

/** `Attempt 1 failed. Retrying with backoff... Error: exception TypeError: fetch failed sending request` (no route to the API; measured on 0.61.0). */
const NO_CONNECTION = /Error: (?:exception )?(?:TypeError: )?(fetch failed.*)$/;

/**
 * Feed it stdout lines (and stderr lines); read `sessionId`, `result`,
 * `answer` and `gaveUp` when the process has ended.
 *
 * @example
 * const stream = new GeminiStream(run.emit, 2, () => giveUp.abort());
 * await runAgentProcess({ ..., onLine: (l) => stream.onLine(l), onStderrLine: (l) => stream.onStderrLine(l) });
 * stream.result?.ok;
 */
export class GeminiStream {
  /** The `session_id` of the init line: what `--resume` takes. */
  sessionId: string | undefined;
  /** The final result line, when the stream got that far. */
  result: GeminiResult | undefined;
  /** The assistant's text since the last tool call: the turn's answer. */
  answer = "";
  /** Failed API attempts the CLI reported on stderr, and the last status. */
  failedAttempts = 0;
  lastStatus: number | undefined;
  /** The reason of the last failed attempt, from the API's error body. */
  lastApiError: string | undefined;
  /** The attempts reached the bound: the driver stopped the CLI. */
  gaveUp = false;
  /** Why the API could not be reached at all (no HTTP answer), when so. */
  unreachable: string | undefined;

  /**
   * Tool calls the CLI refused for want of an allow rule (for the
   * permissions issue's `permission.denied` events).
   */
  denials: { tool: string; input: Json }[] = [];

  #message = "";
  #tools = new Map<string, string>();
  #inputs = new Map<string, Json>();

  constructor(
    private readonly emit: (e: DriverEvent) => void,
    /** Failed API attempts allowed before giving up (the CLI's own backoff retries for minutes). */
    private readonly maxAttempts = 2,
    /** Called once when the attempts reach the bound. */
    private readonly onGiveUp: () => void = () => {},
  ) {}

  /** Handle one stdout line; a line that is not a JSON object is plain output. */
  onLine(line: string): void {
    const msg = parseObject(line);
    if (!msg || typeof msg.type !== "string") {
      if (line.trim() !== "") this.emit(parseMaosLine(line));
      return;
    }
    if (msg.type !== "message" || msg.role !== "assistant") this.#flush();
    switch (msg.type) {
      case "init":
        this.#session(msg.session_id);
        return this.#waiting("the model to answer");
      case "message":
        if (msg.role === "assistant" && typeof msg.content === "string") {
          this.#message += msg.content;
          this.emit({ type: "activity", waitingFor: "the model to answer" });
        }
        return;
      case "tool_use":
        return this.#toolUse(msg);
      case "tool_result":
        this.#toolResult(msg);
        return this.#waiting("the model to answer");
      case "result":
        return this.#result(msg);
      default:
        // Future event types are not shown.
        return;
    }
  }

  /** Handle one stderr line: counts the API retries. */
  onStderrLine(line: string): void {
    const retry = RETRY_LINE.exec(line.trim());
    if (!retry) return;
    this.failedAttempts = Math.max(this.failedAttempts + 1, Number(retry[1]));
    if (retry[2]) this.lastStatus = Number(retry[2]);
    this.lastApiError = apiMessage(line) ?? this.lastApiError;
    const offline = retry[2] ? undefined : NO_CONNECTION.exec(line.trim());
    this.#waiting("the model to be reachable");
    this.emit({
      type: "output",
      line: `[gemini] API attempt ${retry[1]} failed${
        retry[2] ? ` (HTTP ${retry[2]})` : ""
      }`,
    });
    // No HTTP answer at all: the CLI's next try is seconds of backoff away
    // (measured: 5 s, then 12 s …), so a retry would only delay the one line.
    if (offline) this.unreachable = offline[1].trim();
    if (offline || this.failedAttempts >= this.maxAttempts) this.#giveUp();
  }

  /** The stream ended: the message in progress is whole. */
  end(): void {
    this.#flush();
  }

  #giveUp(): void {
    if (this.gaveUp) return;
    this.gaveUp = true;
    this.onGiveUp();
  }

  #waiting(what: string): void {
    this.emit({ type: "activity", waitingFor: what });
  }

  #session(id: unknown): void {
    if (typeof id !== "string" || id === "" || id === this.sessionId) return;
    this.sessionId = id;
    this.emit({ type: "session", sessionId: id });
  }

  /** An assistant message ends at the next other event: emit it whole, so `::maos::` lines split across deltas still parse. */
  #flush(): void {
    if (this.#message === "") return;
    const text = this.#message;
    this.#message = "";
    this.answer += text;
    for (const event of parseMaosText(text)) this.emit(event);
  }

  #toolUse(msg: Json): void {
    const name = String(msg.tool_name ?? "tool");
    if (typeof msg.tool_id === "string") {
      this.#tools.set(msg.tool_id, name);
      this.#inputs.set(
        msg.tool_id,
        isObject(msg.parameters) ? msg.parameters : {},
      );
    }
    // The answer is what the model says after its last tool call.
    this.answer = "";
    this.emit({
      type: "output",
      line: `[tool] ${name} ${oneLine(brief(msg.parameters))}`.trimEnd(),
    });
    this.#waiting(`its ${name} call to finish`);
  }

  #toolResult(msg: Json): void {
    if (msg.status === "success") return;
    const id = String(msg.tool_id);
    const name = this.#tools.get(id) ?? "tool";
    const error = oneLine(
      (isObject(msg.error) ? msg.error.message : msg.error) ?? msg.output ??
        "",
    );
    const refused = DENIED.test(error);
    if (refused) {
      const input = this.#inputs.get(id) ?? {};
      this.denials.push({ tool: name, input });
      // The engine logs it as `permission.denied` (lib/approvals/).
      this.emit({ type: "denied", tool: name, input });
    }
    this.emit({
      type: "output",
      line: `[tool] ${name} ${refused ? "refused" : "failed"}: ${error}`,
    });
  }

  #result(msg: Json): void {
    const stats = isObject(msg.stats) ? msg.stats : {};
    const error = isObject(msg.error) ? msg.error.message : msg.error;
    this.result = {
      ok: msg.status === "success",
      ...(typeof error === "string" ? { error: cleanError(error) } : {}),
      inputTokens: count(stats.input_tokens),
      cachedTokens: count(stats.cached),
      outputTokens: count(stats.output_tokens),
    };
  }
}

/** The `message` of an API error body printed on a line (`{"error":{"code":500,"message":…}}`). */
export function apiMessage(text: string): string | undefined {
  const json = /\{"error":\{.*\}\}/.exec(text)?.[0];
  if (!json) return undefined;
  try {
    const error = (JSON.parse(json) as { error?: Json }).error ?? {};
    const code = typeof error.code === "number" ? `${error.code} ` : "";
    return typeof error.message === "string"
      ? `${code}${error.message}`.trim()
      : undefined;
  } catch {
    return undefined;
  }
}

/** `[API Error: {"error":{…}}]` → `500 Internal error encountered.` */
function cleanError(message: string): string {
  return apiMessage(message) ?? oneLine(message);
}

/** The parameters of a tool call, briefly: a command or a path when there is one. */
function brief(parameters: unknown): string {
  if (!isObject(parameters)) return "";
  for (const key of ["command", "file_path", "absolute_path", "path"]) {
    if (typeof parameters[key] === "string") return parameters[key] as string;
  }
  return JSON.stringify(parameters);
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0
    ? Math.round(value)
    : 0;
}

/** A value on one short line. */
function oneLine(value: unknown): string {
  const text = String(value ?? "").replace(/\s+/g, " ").trim();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
