/**
 * The model stand-in: a local HTTP server (127.0.0.1, a random port) that
 * plays the model for the real Claude Code, Codex and Gemini CLIs, so tests run them
 * offline. A test scripts the turns (script.ts), points the CLI at `url`
 * (tests/agents/_real_cli.ts does that), and asserts on `requests` — every
 * request, recorded with its parsed body.
 *
 * @example
 * await using model = await ModelStandin.start([say("hi")]);
 * // … run a CLI with ANTHROPIC_BASE_URL = model.url …
 * model.turns()[0].body; // what the CLI sent
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import {
  anthropicError,
  anthropicEvents,
  anthropicMessage,
  isAnthropicTurn,
  type SseEvent,
} from "./anthropic.ts";
import {
  isResponsesTurn,
  responsesError,
  responsesEvents,
} from "./openai_responses.ts";
import {
  geminiError,
  geminiEvents,
  geminiModel,
  geminiSideAnswer,
  isGeminiPath,
  isGeminiTurn,
} from "./gemini.ts";
import { DEFAULT_USAGE, type Turn } from "./script.ts";
import { type Bill, billOf } from "./billing.ts";

/** One request as the stand-in received it. */
export interface RecordedRequest {
  method: string;
  /** Path with query, e.g. `/v1/messages?beta=true`. */
  path: string;
  headers: Record<string, string>;
  /** The JSON body parsed (the raw text when it is not JSON; undefined when empty). */
  body: unknown;
  /** Which API it was for. */
  api: "anthropic" | "openai" | "gemini" | "other";
  /** Answered from the script (a main request), not a side call. */
  turn: boolean;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/** Picks the turn for a main request; return undefined to take the next scripted one. */
export type Responder = (
  request: RecordedRequest,
  index: number,
) => Turn | undefined;

export class ModelStandin {
  /** Base URL, e.g. `http://127.0.0.1:40123` (Codex wants `${url}/v1`). */
  readonly url: string;
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** When set, every model request (main or side) gets this turn: e.g. `fail(529)`. */
  outage: Turn | undefined;
  /** Main requests that found the script empty (answered "done"). */
  unscripted = 0;
  /** What was billed, as it went out (Anthropic API): see billing.ts. */
  readonly bills: Bill[] = [];

  readonly #queue: Turn[];
  readonly #stalls = new Set<() => void>();
  #turnCount = 0;

  private constructor(
    private readonly server: http.Server,
    turns: Turn[],
    private readonly responder?: Responder,
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.#queue = [...turns];
  }

  /** Listen on 127.0.0.1 (a random port unless `port` is given) with these turns scripted. */
  static async start(
    turns: Turn[] = [],
    responder?: Responder,
    port = 0,
  ): Promise<ModelStandin> {
    // The handler needs the instance, which needs the port: fill it in after listen.
    const holder: { standin?: ModelStandin } = {};
    const server = http.createServer((req, res) => {
      holder.standin!.#handle(req, res).catch((err) => {
        console.error(`model stand-in: ${err?.stack ?? err}`);
        res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
    holder.standin = new ModelStandin(server, turns, responder);
    return holder.standin;
  }

  /** Add turns to the end of the script. */
  script(...turns: Turn[]): void {
    this.#queue.push(...turns);
  }

  /** Turns scripted but not yet used. */
  get pending(): number {
    return this.#queue.length;
  }

  /** The main requests (those the script answered), in order. */
  turns(): RecordedRequest[] {
    return this.requests.filter((r) => r.turn);
  }

  /** Resolve once `n` main requests have arrived; reject after `timeoutMs`. */
  async waitForTurns(n: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.turns().length < n) {
      if (Date.now() > deadline) {
        throw new Error(
          `model stand-in: waited ${timeoutMs} ms for ${n} turns, got ${this.turns().length}: ` +
            this.requests.map((r) => `${r.method} ${r.path}`).join(", "),
        );
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Stop: stalled responses end, open connections are dropped. */
  async close(): Promise<void> {
    for (const wake of this.#stalls) wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const text = await readBody(req);
    const path = req.url ?? "/";
    const body = parse(text);
    const api = path.startsWith("/v1/messages")
      ? "anthropic"
      : path.startsWith("/v1/responses")
      ? "openai"
      : isGeminiPath(path)
      ? "gemini"
      : "other";
    const turn = isAnthropicTurn(path, body) || isResponsesTurn(path, body) ||
      isGeminiTurn(path);
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path,
      headers: flatHeaders(req.headers),
      body,
      api,
      turn,
      at: Date.now(),
    };
    this.requests.push(record);

    if (api === "other") return this.#other(record, res);
    const model = api === "gemini"
      ? geminiModel(path)
      : String((body as { model?: unknown })?.model ?? "standin");
    let script: Turn;
    if (this.outage) {
      script = this.outage;
    } else if (turn) {
      const index = this.#turnCount++;
      script = this.responder?.(record, index) ?? this.#next();
    } else {
      script = { text: "Stand-in" }; // titles, topics, other side questions
    }

    if (script.stallMs) await this.#sleep(script.stallMs, res);
    if (res.destroyed) return;
    if (script.status) {
      const error = api === "anthropic"
        ? anthropicError(script.status)
        : api === "gemini"
        ? geminiError(script.status)
        : responsesError(script.status);
      return json(res, script.status, error, { "retry-after": "0" });
    }
    if (api === "anthropic" && path.includes("count_tokens")) {
      return json(res, 200, { input_tokens: 100 });
    }
    const n = this.requests.length;
    if (api === "gemini") {
      if (!turn) return json(res, 200, geminiSideAnswer(path, body, model));
      const { events, mid } = geminiEvents(script, model, n);
      return await this.#stream(res, events, mid, script, model);
    }
    const streamed = (body as { stream?: unknown })?.stream === true;
    if (!streamed) {
      if (api === "anthropic") {
        const usage = script.usage ?? DEFAULT_USAGE;
        this.bills.push({ model, input: usage.input, output: usage.output });
      }
      return json(
        res,
        200,
        api === "anthropic" ? anthropicMessage(script, model, n) : {},
      );
    }
    const { events, mid } = api === "anthropic"
      ? anthropicEvents(script, model, n)
      : responsesEvents(script, model, n);
    await this.#stream(res, events, mid, script, model);
  }

  #next(): Turn {
    const next = this.#queue.shift();
    if (next) return next;
    this.unscripted++;
    return { text: "done" };
  }

  async #stream(
    res: http.ServerResponse,
    events: SseEvent[],
    mid: number,
    script: Turn,
    model: string,
  ): Promise<void> {
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      "request-id": `req_standin_${this.requests.length}`,
    });
    for (const [i, e] of events.entries()) {
      if (i === mid) {
        if (script.cut) {
          // Let the first half reach the client, then drop the connection.
          await new Promise((r) => setTimeout(r, 50));
          res.destroy();
          return;
        }
        if (script.stallMidMs) await this.#sleep(script.stallMidMs, res);
        if (res.destroyed) return;
      }
      // Gemini's chunks have no event name: `data:` lines only.
      const name = e.event ? `event: ${e.event}\n` : "";
      res.write(`${name}data: ${JSON.stringify(e.data)}\n\n`);
      const bill = billOf(model, e.data);
      if (bill) this.bills.push(bill);
    }
    res.end();
  }

  #other(record: RecordedRequest, res: http.ServerResponse): void {
    if (record.path.startsWith("/v1/models")) {
      return json(res, 200, { object: "list", data: [], models: [] });
    }
    // Claude Code's first request is `HEAD /`: any answer will do.
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(record.method === "HEAD" ? undefined : "model stand-in");
  }

  /** Sleep `ms`, cut short by close() or by the client going away. */
  #sleep(ms: number, res: http.ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#stalls.delete(wake);
        res.off("close", wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#stalls.add(wake);
      res.on("close", wake);
    });
  }
}

/**
 * Run `fn` with a started stand-in, closed afterwards.
 *
 * @example
 * await withStandin([say("hi")], async (model) => { … });
 */
export async function withStandin<T>(
  turns: Turn[],
  fn: (model: ModelStandin) => Promise<T>,
  responder?: Responder,
): Promise<T> {
  const model = await ModelStandin.start(turns, responder);
  try {
    return await fn(model);
  } finally {
    await model.close();
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    req.on("data", (c: Uint8Array) => chunks.push(c));
    req.on("end", () => resolve(new TextDecoder().decode(concat(chunks))));
    req.on("error", reject);
  });
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}

function parse(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function flatHeaders(
  headers: http.IncomingHttpHeaders,
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) {
      flat[key] = Array.isArray(value) ? value.join(", ") : value;
    }
  }
  return flat;
}

function json(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
