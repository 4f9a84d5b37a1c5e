/**
 * What an agent is told at the start of a turn — shared by the drivers that
 * talk to an AI CLI (claude, exec) and given to shell tasks as MAOS_PROMPT.
 */
import type { AgentSpec, InboxMessage, TaskRun } from "./driver.ts";
import { MCP_TOOLS } from "./maos_mcp.ts";

/** The tail of an interrupted task's output kept in the prompt. */
export const RESUME_NOTE_MAX_CHARS = 16_000;

/**
 * The agent's role, for a system prompt (claude `--append-system-prompt`).
 *
 * @example
 * roleInstructions({ id: "analyst-001", role: "analyst", driver: "claude", instructions: "Find risks." });
 * // "You are analyst-001, the analyst in a team of agents coordinated by maos.\nFind risks."
 */
export function roleInstructions(agent: AgentSpec): string {
  const intro =
    `You are ${agent.id}, the ${agent.role} in a team of agents coordinated by maos.`;
  const own = agent.instructions.trim();
  return own ? `${intro}\n${own}` : intro;
}

/**
 * How much inbox text a prompt carries: the newest messages that fit. One
 * argv or env string may not exceed 128 KiB on Linux.
 */
export const INBOX_MAX_CHARS = 50_000;

/**
 * Inbox messages as text, one per line (given to shell tasks as MAOS_INBOX);
 * when they don't all fit in `maxChars`, the newest are kept and a first line
 * says how many were left out.
 *
 * @example
 * formatInbox([{ seq: 3, from: "analyst-001", to: null, type: "discovery", content: "no auth" }]);
 * // "#3 discovery from analyst-001 to all: no auth"
 */
export function formatInbox(
  inbox: InboxMessage[],
  maxChars = INBOX_MAX_CHARS,
  /** How many older messages were left out before `inbox`, and the file with all. */
  whole: { earlier: number; file?: string } = { earlier: 0 },
): string {
  const lines: string[] = [];
  let size = 0;
  const where = whole.file
    ? `the whole inbox is in ${whole.file}`
    : "see: maos message list";
  for (let i = inbox.length - 1; i >= 0; i--) {
    const m = inbox[i];
    const line = inboxLine(m);
    size += line.length + 1;
    if (size > maxChars && lines.length > 0) {
      lines.push(
        `(${i + 1 + whole.earlier} earlier message(s) left out; ${where})`,
      );
      return lines.reverse().join("\n");
    }
    lines.push(
      line.length > maxChars ? `${line.slice(0, maxChars - 1)}…` : line,
    );
  }
  if (whole.earlier > 0) {
    lines.push(`(${whole.earlier} earlier message(s) left out; ${where})`);
  }
  return lines.reverse().join("\n");
}

/** One inbox message as one line of text. */
export function inboxLine(m: InboxMessage): string {
  return `#${m.seq} ${m.type} from ${m.from} to ${m.to ?? "all"}: ${m.content}`;
}

/** Options of {@link buildPrompt}. */
export interface PromptOptions {
  /** Start with the role (for CLIs without a separate system prompt). */
  includeRole?: boolean;
  /**
   * How the agent talks to the team: "mcp" for CLIs that registered
   * `maos mcp` (claude, codex), else `maos message send` (shells, exec).
   */
  channel?: "mcp" | "command";
  /** Where the whole inbox is, when the driver wrote it to a file. */
  inboxFile?: string;
}

/**
 * The prompt of one turn: the request, the task, any extra task, what an
 * interrupted run had produced, the inbox, and how to talk to the team.
 *
 * @example
 * const prompt = buildPrompt(taskRun, { includeRole: true });
 */
export function buildPrompt(run: TaskRun, opts: PromptOptions = {}): string {
  const parts: string[] = [];
  if (opts.includeRole) parts.push(roleInstructions(run.agent));
  parts.push(`The team's request: ${run.request.trim()}`);
  const description = run.task.description.trim();
  parts.push(
    `Your task (${run.task.id}): ${run.task.title.trim()}` +
      (description ? `\n${description}` : ""),
  );
  if (run.extraTask?.trim()) {
    parts.push(`Additional task from the user: ${run.extraTask.trim()}`);
  }
  if (run.resumeNote?.trim()) {
    parts.push(
      `You were interrupted; so far you produced:\n${
        tail(run.resumeNote.trim())
      }\n` +
        "Continue from there; do not redo what is already done.",
    );
  }
  const earlier = run.inboxEarlier?.length ?? 0;
  if (run.inbox.length > 0 || earlier > 0) {
    parts.push(
      `Messages from your team since your last turn:\n${
        formatInbox(run.inbox, INBOX_MAX_CHARS, {
          earlier,
          file: opts.inboxFile,
        })
      }`,
    );
  }
  parts.push(
    opts.channel === "mcp" ? MCP_HOWTO : COMMAND_HOWTO,
  );
  return parts.join("\n\n");
}

const LINES_HOWTO = [
  "  ::maos::discovery:: TEXT          (a finding everyone should know)",
  "  ::maos::request to=AGENT:: TEXT   (ask one agent for something)",
  "  ::maos::progress:: 40             (your progress in percent)",
];
const SUMMARY = "When you are done, end with a short summary of what you did.";

/** For CLIs with the maos MCP tools; the lines stay as a fallback. */
const MCP_HOWTO = [
  "To talk to the team, use your maos MCP tools:",
  `  ${MCP_TOOLS.sendMessage}: a finding everyone should know (kind "discovery"), ` +
  `or ask one agent for something (kind "request", to: AGENT)`,
  `  ${MCP_TOOLS.readMessages}: the messages sent to you since your turn began; ` +
  "check it now and then",
  `  ${MCP_TOOLS.reportProgress}: your progress in percent (0-100)`,
  "If those tools are not available, put a line on its own in your output instead:",
  ...LINES_HOWTO,
  SUMMARY,
].join("\n");

/** For shells and other CLIs: the lines, or the `maos` on their PATH. */
const COMMAND_HOWTO = [
  "To talk to the team, put a line on its own in your output:",
  ...LINES_HOWTO,
  'or run: maos message send [--to AGENT] [--type discovery|request|info] "TEXT"',
  SUMMARY,
].join("\n");

function tail(text: string): string {
  if (text.length <= RESUME_NOTE_MAX_CHARS) return text;
  return `[… earlier output cut …]\n${text.slice(-RESUME_NOTE_MAX_CHARS)}`;
}
