/**
 * The OpenAI Responses API as Codex 0.169.0 uses it: `POST /v1/responses`
 * with `stream: true`, answered with server-sent events (response.created,
 * response.output_item.added, response.output_text.delta,
 * response.output_item.done, response.completed with usage). Tool calls are
 * `function_call` items (Codex's shell tool is `exec_command`).
 */
import { DEFAULT_USAGE, type Turn } from "./script.ts";
import type { SseEvent } from "./anthropic.ts";

type Json = Record<string, unknown>;

/**
 * The events of one streamed response; `mid` as in anthropicEvents.
 *
 * @example
 * responsesEvents({ text: "hi" }, "gpt-6.1-sol", 1).events.at(-1)?.event; // "response.completed"
 */
export function responsesEvents(
  turn: Turn,
  model: string,
  n: number,
): { events: SseEvent[]; mid: number } {
  const usage = turn.usage ?? DEFAULT_USAGE;
  const id = `resp_standin_${String(n).padStart(4, "0")}`;
  const response = {
    id,
    object: "response",
    created_at: 0,
    status: "in_progress",
    model,
    output: [] as Json[],
  };
  const events: SseEvent[] = [ev("response.created", { response })];
  let mid = 1;
  const output: Json[] = [];
  if (turn.text !== undefined && turn.text !== "") {
    const itemId = `msg_standin_${n}`;
    const index = output.length;
    const item = {
      type: "message",
      id: itemId,
      role: "assistant",
      status: "completed",
      content: [{ type: "output_text", text: turn.text, annotations: [] }],
    };
    events.push(ev("response.output_item.added", {
      output_index: index,
      item: { ...item, status: "in_progress", content: [] },
    }));
    const half = Math.ceil(turn.text.length / 2);
    for (const piece of [turn.text.slice(0, half), turn.text.slice(half)]) {
      if (piece === "") continue;
      events.push(ev("response.output_text.delta", {
        item_id: itemId,
        output_index: index,
        content_index: 0,
        delta: piece,
      }));
      if (mid === 1) mid = events.length;
    }
    events.push(ev("response.output_item.done", { output_index: index, item }));
    output.push(item);
  }
  for (const [i, call] of (turn.tools ?? []).entries()) {
    const index = output.length;
    const item = call.custom !== undefined
      ? {
        type: "custom_tool_call",
        id: `ctc_standin_${n}_${i}`,
        call_id: `call_standin_${n}_${i}`,
        name: call.name,
        input: call.custom,
        status: "completed",
      }
      : {
        type: "function_call",
        id: `fc_standin_${n}_${i}`,
        call_id: `call_standin_${n}_${i}`,
        name: call.name,
        arguments: JSON.stringify(call.input),
        status: "completed",
      };
    events.push(
      ev("response.output_item.added", { output_index: index, item }),
      ev("response.output_item.done", { output_index: index, item }),
    );
    output.push(item);
  }
  events.push(ev("response.completed", {
    response: {
      ...response,
      status: "completed",
      output,
      usage: {
        input_tokens: usage.input,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: usage.output,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: usage.input + usage.output,
      },
    },
  }));
  return { events, mid };
}

/** The body of an HTTP error, as the API sends it. */
export function responsesError(status: number): Json {
  const [type, code, message] = status === 401
    ? ["invalid_request_error", "invalid_api_key", "Incorrect API key provided"]
    : status === 429
    ? ["rate_limit_exceeded", "rate_limit_exceeded", "Rate limit reached"]
    : ["server_error", "server_error", "The server is overloaded"];
  return { error: { type, code, message, param: null } };
}

/** Streamed requests to /v1/responses are the script's; anything else is a side call. */
export function isResponsesTurn(path: string, body: unknown): boolean {
  return path.startsWith("/v1/responses") &&
    (body as Json | undefined)?.stream === true;
}

/** The `input` items of a recorded Responses request, as role + text. */
export function responsesInput(
  body: unknown,
): { role: string; text: string }[] {
  const input = (body as Json | undefined)?.input;
  if (!Array.isArray(input)) return [];
  return input.map((raw) => {
    const item = raw as Json;
    if (item.type === "function_call") {
      return {
        role: "function_call",
        text: `${item.name} ${String(item.arguments)}`,
      };
    }
    if (item.type === "custom_tool_call") {
      return {
        role: "custom_tool_call",
        text: `${item.name} ${String(item.input)}`,
      };
    }
    if (
      item.type === "function_call_output" ||
      item.type === "custom_tool_call_output"
    ) {
      const out = item.output;
      return {
        role: String(item.type),
        text: typeof out === "string" ? out : JSON.stringify(out),
      };
    }
    const content = Array.isArray(item.content) ? item.content : [];
    return {
      role: String(item.role ?? item.type),
      text: content.map((c) => String((c as Json).text ?? "")).join("\n"),
    };
  });
}

/**
 * The names of the tools a Responses request offers. Codex 0.169 with its
 * default model (gpt-6.1-sol) sends them as an `additional_tools` input item
 * of namespaces ("functions.exec", "collaboration.send_message" …); with
 * older models (`-m gpt-5.5`) as the classic top-level `tools` array
 * ("exec_command", "apply_patch" …). Both are listed.
 */
export function responsesTools(body: unknown): string[] {
  const names: string[] = [];
  const walk = (tools: unknown, prefix: string) => {
    if (!Array.isArray(tools)) return;
    for (const raw of tools) {
      const t = raw as Json;
      const name = typeof t.name === "string" ? t.name : String(t.type);
      if (Array.isArray(t.tools)) walk(t.tools, `${prefix}${name}.`);
      else names.push(prefix + name);
    }
  };
  const b = body as Json | undefined;
  walk(b?.tools, "");
  for (const item of Array.isArray(b?.input) ? b.input : []) {
    if ((item as Json).type === "additional_tools") {
      walk((item as Json).tools, "");
    }
  }
  return names;
}

function ev(type: string, fields: Json): SseEvent {
  return { event: type, data: { type, ...fields } };
}
