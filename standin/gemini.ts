/**
 * The Gemini API as the Gemini CLI 0.61.0 uses it: `POST
 * /v1beta/models/MODEL:streamGenerateContent?alt=sse` for a turn, answered
 * with server-sent `data: {…}` chunks of candidates (text parts, then
 * `functionCall` parts) and `usageMetadata` in the last one; side calls
 * (the model router, the next-speaker check, session summaries) are
 * `:generateContent` and answered here without the script. Also readers for
 * what a recorded request holds (the conversation, the tools offered).
 */
import { DEFAULT_USAGE, type Turn } from "./script.ts";
import type { SseEvent } from "./anthropic.ts";

type Json = Record<string, unknown>;

/** A request for the Gemini API (any method of `/v1beta/models/…`). */
export function isGeminiPath(path: string): boolean {
  return path.startsWith("/v1beta/models/") || path.startsWith("/v1/models/");
}

/** Streamed requests are the script's; `:generateContent` and others are side calls. */
export function isGeminiTurn(path: string): boolean {
  return isGeminiPath(path) && path.includes(":streamGenerateContent");
}

/** The model named in the path (`/v1beta/models/gemini-2.5-pro:…`). */
export function geminiModel(path: string): string {
  return /\/models\/([^:/?]+)/.exec(path)?.[1] ?? "standin";
}

/**
 * The chunks of one streamed answer (SSE events without a name: the CLI
 * reads `data:` lines only); `mid` as in anthropicEvents.
 *
 * @example
 * geminiEvents({ text: "hi" }, "gemini-2.5-pro", 1).events.length; // 2
 */
export function geminiEvents(
  turn: Turn,
  model: string,
  n: number,
): { events: SseEvent[]; mid: number } {
  const usage = turn.usage ?? DEFAULT_USAGE;
  const chunk = (parts: Json[], last: boolean): SseEvent => ({
    event: "",
    data: {
      candidates: [{
        content: { role: "model", parts },
        index: 0,
        ...(last ? { finishReason: "STOP" } : {}),
      }],
      ...(last
        ? {
          usageMetadata: {
            promptTokenCount: usage.input,
            candidatesTokenCount: usage.output,
            totalTokenCount: usage.input + usage.output,
          },
        }
        : {}),
      modelVersion: model,
      responseId: `standin-${String(n).padStart(4, "0")}`,
    },
  });
  const pieces: Json[][] = [];
  if (turn.text !== undefined && turn.text !== "") {
    const half = Math.ceil(turn.text.length / 2);
    for (const piece of [turn.text.slice(0, half), turn.text.slice(half)]) {
      if (piece !== "") pieces.push([{ text: piece }]);
    }
  }
  const calls = (turn.tools ?? []).map((call, i) => ({
    functionCall: {
      id: `call_standin_${n}_${i}`,
      name: call.name,
      args: call.input,
    },
  }));
  if (calls.length > 0) pieces.push(calls);
  if (pieces.length === 0) pieces.push([{ text: "" }]);
  const events = pieces.map((parts, i) =>
    chunk(parts, i === pieces.length - 1)
  );
  return { events, mid: Math.min(1, events.length - 1) };
}

/** The body of an HTTP error, as the Gemini API sends it. */
export function geminiError(status: number): Json {
  const [state, message] = status === 401
    ? ["UNAUTHENTICATED", "API key not valid. Please pass a valid API key."]
    : status === 403
    ? ["PERMISSION_DENIED", "The caller does not have permission"]
    : status === 429
    ? ["RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."]
    : status === 503
    ? ["UNAVAILABLE", "The model is overloaded. Please try again later."]
    : ["INTERNAL", "Internal error encountered."];
  return { error: { code: status, message, status: state } };
}

/**
 * The answer to a side call (`:generateContent`, not streamed). A call with
 * a JSON schema (the router's `model_choice`, the next-speaker check) gets
 * an object that fits it, each enum at its first value (the router's fast
 * model; `next_speaker: "user"`, so the turn ends); anything else a line of
 * text.
 */
export function geminiSideAnswer(
  path: string,
  body: unknown,
  model: string,
): Json {
  if (path.includes(":countTokens")) return { totalTokens: 100 };
  const config = (body as Json | undefined)?.generationConfig as
    | Json
    | undefined;
  const schema = config?.responseJsonSchema ?? config?.responseSchema;
  const text = schema !== undefined
    ? JSON.stringify(fitSchema(schema))
    : "Stand-in summary.";
  return {
    candidates: [{
      content: { role: "model", parts: [{ text }] },
      index: 0,
      finishReason: "STOP",
    }],
    // No tokens: the CLI adds side calls to a run's stats, and tests count
    // the scripted turns' tokens exactly.
    usageMetadata: {
      promptTokenCount: 0,
      candidatesTokenCount: 0,
      totalTokenCount: 0,
    },
    modelVersion: model,
  };
}

/** A value that fits a (small) JSON schema. */
function fitSchema(schema: unknown): unknown {
  const s = (schema ?? {}) as Json;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  const type = String(s.type ?? "").toLowerCase();
  if (type === "object" || s.properties) {
    const out: Json = {};
    for (const [key, sub] of Object.entries((s.properties ?? {}) as Json)) {
      out[key] = fitSchema(sub);
    }
    return out;
  }
  if (type === "array") return [];
  if (type === "number" || type === "integer") {
    return typeof s.minimum === "number" ? s.minimum : 1;
  }
  if (type === "boolean") return false;
  return "stand-in";
}

/**
 * The conversation of a recorded request: each part as role + text
 * (`functionCall` as `call NAME ARGS`, `functionResponse` as its output).
 */
export function geminiContents(
  body: unknown,
): { role: string; text: string }[] {
  const contents = (body as Json | undefined)?.contents;
  if (!Array.isArray(contents)) return [];
  return contents.flatMap((raw) => {
    const content = raw as Json;
    const parts = Array.isArray(content.parts) ? content.parts as Json[] : [];
    return parts.map((part) => {
      const call = part.functionCall as Json | undefined;
      if (call) {
        return {
          role: "function_call",
          text: `${call.name} ${JSON.stringify(call.args ?? {})}`,
        };
      }
      const response = part.functionResponse as Json | undefined;
      if (response) {
        return {
          role: "function_response",
          text: `${response.name} ${JSON.stringify(response.response ?? {})}`,
        };
      }
      return {
        role: String(content.role ?? "user"),
        text: String(part.text ?? ""),
      };
    });
  });
}

/** The names of the functions a recorded request offers. */
export function geminiTools(body: unknown): string[] {
  const tools = (body as Json | undefined)?.tools;
  if (!Array.isArray(tools)) return [];
  return tools.flatMap((t) => {
    const decls = (t as Json).functionDeclarations;
    return Array.isArray(decls)
      ? decls.map((d) => String((d as Json).name))
      : [];
  });
}

/** The system instruction of a recorded request, as text. */
export function geminiSystem(body: unknown): string {
  const system = (body as Json | undefined)?.systemInstruction as
    | Json
    | undefined;
  const parts = Array.isArray(system?.parts) ? system.parts as Json[] : [];
  return parts.map((p) => String(p.text ?? "")).join("\n");
}
