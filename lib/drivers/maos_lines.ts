/**
 * The `::maos::` line protocol agents use on stdout (DESIGN.md §3 Messages):
 *
 *     ::maos::discovery:: the API has no auth
 *     ::maos::request to=tester-001:: please run the e2e suite
 *     ::maos::progress:: 40
 *
 * A line that does not match exactly is ordinary output: a typo must never
 * swallow what the agent printed. The marker must start the line: the prompt
 * shows the syntax indented, so an agent CLI that echoes its prompt does not
 * send the examples as messages.
 */
import type { DriverEvent, MessageKind } from "./driver.ts";
import { MESSAGE_KINDS } from "./driver.ts";

/** What one stdout line means. */
export type LineEvent = Extract<
  DriverEvent,
  { type: "output" } | { type: "message" } | { type: "progress" }
>;

// KIND, optional " to=AGENT", "::", then the text. Agent ids are validated
// by the engine; here they only must look like an id (no spaces, no ':').
const MESSAGE_RE = /^::maos::([a-z]+)(?: to=([A-Za-z0-9._-]+))?::\s?(.*)$/;
const PROGRESS_RE = /^::maos::progress::\s*(\d{1,3}(?:\.\d+)?)\s*%?\s*$/;

/**
 * Parse one line of agent stdout.
 *
 * @example
 * parseMaosLine("::maos::progress:: 40"); // { type: "progress", percent: 40 }
 * parseMaosLine("hello");                 // { type: "output", line: "hello" }
 */
export function parseMaosLine(line: string): LineEvent {
  if (!line.includes("::maos::")) return { type: "output", line };
  const progress = PROGRESS_RE.exec(line);
  if (progress) {
    const percent = Math.round(Number(progress[1]));
    if (percent <= 100) return { type: "progress", percent };
    return { type: "output", line };
  }
  const message = MESSAGE_RE.exec(line);
  if (!message) return { type: "output", line };
  const kind = message[1] as MessageKind;
  const content = message[3].trim();
  if (!MESSAGE_KINDS.includes(kind) || content === "") {
    return { type: "output", line };
  }
  return { type: "message", kind, to: message[2] ?? null, content };
}

/**
 * Parse a block of text (several lines, e.g. one assistant turn) line by line.
 *
 * @example
 * parseMaosText("a\n::maos::info:: b"); // [output "a", message info "b"]
 */
export function parseMaosText(text: string): LineEvent[] {
  return text.split(/\r?\n/).map(parseMaosLine);
}

/**
 * The text without its `::maos::` control lines (those that are messages or
 * progress): what a summary shows. Empty when nothing else is left.
 *
 * @example
 * withoutMaosLines("Done\n::maos::discovery:: no auth"); // "Done"
 */
export function withoutMaosLines(text: string): string {
  return text.split(/\r?\n/)
    .filter((line) => parseMaosLine(line).type === "output")
    .join("\n")
    .trim();
}
