/**
 * The agent CLIs' JSON-lines output (Claude Code's stream-json, Codex's
 * `exec --json`): a line is either one JSON object or plain text.
 */

/** A JSON object as read from a line, fields not yet checked. */
export type Json = Record<string, unknown>;

/**
 * The line's JSON object, or undefined when it is not one (plain output).
 *
 * @example
 * parseObject('{"type":"result"}'); // { type: "result" }
 * parseObject("hello"); // undefined
 */
export function parseObject(line: string): Json | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** True for a plain object (not null, not an array). */
export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
