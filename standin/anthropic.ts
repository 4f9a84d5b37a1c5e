/**
 * The Anthropic Messages API as Claude Code 2.1.197 uses it: `POST
 * /v1/messages?beta=true` with `stream: true`, answered with server-sent
 * events (message_start, content_block_start/delta/stop, message_delta with
 * stop_reason and usage, message_stop). Also readers for what a recorded
 * request holds (system prompt, tools offered, the conversation).
 */
import { DEFAULT_USAGE, type Turn } from "./script.ts";

/** One server-sent event. */
export interface SseEvent {
  event: string;
  data: unknown;
}

type Json = Record<string, unknown>;

/**
 * The events of one streamed reply. `mid` is the index after which a
 * mid-stream stall or cut happens (just after the first text chunk).
 *
 * @example
 * anthropicEvents({ text: "hi" }, "claude-opus-4-8", 1).events[0].event; // "message_start"
 */
export function anthropicEvents(
  turn: Turn,
  model: string,
  n: number,
): { events: SseEvent[]; mid: number } {
  const usage = turn.usage ?? DEFAULT_USAGE;
  const id = `msg_standin_${String(n).padStart(4, "0")}`;
  const events: SseEvent[] = [{
    event: "message_start",
    data: {
      type: "message_start",
      message: {
        id,
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 1,
        },
      },
    },
  }];
  let mid = 1;
  let index = 0;
  if (turn.text !== undefined && turn.text !== "") {
    events.push(block(index, { type: "text", text: "" }));
    const half = Math.ceil(turn.text.length / 2);
    for (const piece of [turn.text.slice(0, half), turn.text.slice(half)]) {
      if (piece === "") continue;
      events.push(delta(index, { type: "text_delta", text: piece }));
      if (mid === 1) mid = events.length;
    }
    events.push(stop(index++));
  }
  for (const [i, call] of (turn.tools ?? []).entries()) {
    const toolId = `toolu_standin_${n}_${i}`;
    events.push(
      block(index, {
        type: "tool_use",
        id: toolId,
        name: call.name,
        input: {},
      }),
    );
    events.push(delta(index, {
      type: "input_json_delta",
      partial_json: JSON.stringify(call.input),
    }));
    events.push(stop(index++));
  }
  events.push(
    {
      event: "message_delta",
      data: {
        type: "message_delta",
        delta: {
          stop_reason: turn.tools?.length ? "tool_use" : "end_turn",
          stop_sequence: null,
        },
        // Claude Code takes output_tokens from here, input from message_start.
        usage: { output_tokens: usage.output },
      },
    },
    { event: "message_stop", data: { type: "message_stop" } },
  );
  return { events, mid };
}

/**
 * The same turn as one JSON message, for requests without `stream` (Claude
 * Code retries a cut stream this way).
 */
export function anthropicMessage(turn: Turn, model: string, n: number): Json {
  const usage = turn.usage ?? DEFAULT_USAGE;
  const content: Json[] = [];
  if (turn.text) content.push({ type: "text", text: turn.text });
  for (const [i, call] of (turn.tools ?? []).entries()) {
    content.push({
      type: "tool_use",
      id: `toolu_standin_${n}_${i}`,
      name: call.name,
      input: call.input,
    });
  }
  return {
    id: `msg_standin_${String(n).padStart(4, "0")}`,
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: turn.tools?.length ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: { input_tokens: usage.input, output_tokens: usage.output },
  };
}

/** The body of an HTTP error, as the API sends it. */
export function anthropicError(status: number): Json {
  const [type, message] = status === 401
    ? ["authentication_error", "invalid x-api-key"]
    : status === 429
    ? ["rate_limit_error", "Number of requests has exceeded your rate limit"]
    : status === 529
    ? ["overloaded_error", "Overloaded"]
    : ["api_error", "Internal server error"];
  return { type: "error", error: { type, message } };
}

/**
 * A main request is one the test's script answers: the agent's own request,
 * which offers tools (streamed, or unstreamed when Claude Code retries a cut
 * stream). Other calls to /v1/messages (count_tokens, tool-less side
 * questions such as titles) get a short default answer.
 */
export function isAnthropicTurn(path: string, body: unknown): boolean {
  if (!path.startsWith("/v1/messages") || path.includes("count_tokens")) {
    return false;
  }
  const tools = (body as Json | undefined)?.tools;
  return Array.isArray(tools) && tools.length > 0;
}

/** The system prompt of a recorded request, its blocks joined. */
export function systemText(body: unknown): string {
  const system = (body as Json | undefined)?.system;
  if (typeof system === "string") return system;
  if (!Array.isArray(system)) return "";
  return system.map((b) => (b as Json).text ?? "").join("\n");
}

/** The names of the tools a request offers. */
export function toolNames(body: unknown): string[] {
  const tools = (body as Json | undefined)?.tools;
  if (!Array.isArray(tools)) return [];
  return tools.map((t) => String((t as Json).name));
}

/** The conversation of a request: one entry per message, its text (tool results included). */
export function conversation(
  body: unknown,
): { role: string; text: string }[] {
  const messages = (body as Json | undefined)?.messages;
  if (!Array.isArray(messages)) return [];
  return messages.map((m) => ({
    role: String((m as Json).role),
    text: contentText((m as Json).content),
  }));
}

/** The text of the last user message (the prompt, or the latest tool result). */
export function lastUserText(body: unknown): string {
  const users = conversation(body).filter((m) => m.role === "user");
  return users.at(-1)?.text ?? "";
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((b) => {
    const block = b as Json;
    if (typeof block.text === "string") return block.text;
    if (block.type === "tool_result") return contentText(block.content);
    if (block.type === "tool_use") {
      return `[tool_use ${block.name} ${JSON.stringify(block.input)}]`;
    }
    return "";
  }).join("\n");
}

function block(index: number, content_block: Json): SseEvent {
  return {
    event: "content_block_start",
    data: { type: "content_block_start", index, content_block },
  };
}

function delta(index: number, d: Json): SseEvent {
  return {
    event: "content_block_delta",
    data: { type: "content_block_delta", index, delta: d },
  };
}

function stop(index: number): SseEvent {
  return {
    event: "content_block_stop",
    data: { type: "content_block_stop", index },
  };
}
