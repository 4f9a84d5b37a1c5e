/**
 * A built-in model for the stand-in, for people trying maos offline
 * (`deno task standin`) and for the tour: it needs no script, and answers
 * maos's own prompts sensibly, for each CLI.
 *
 * - A planning request (driver_planner.ts's "Reply with ONLY a JSON
 *   object") gets a small valid plan: analyst-001 → developer-001.
 * - A task's first turn gets a short text with a `::maos::discovery::` line
 *   and one tool call that messages the team: `mcp__maos__send_message` for
 *   Claude Code and `mcp_maos_send_message` for the Gemini CLI (when
 *   offered), `maos message send` through Codex's `exec_command`.
 * - After the tool's result: a one-paragraph summary, which ends the turn.
 *
 * @example
 * await using model = await ModelStandin.start([], autoModel({ delayMs: 1000 }));
 */
import { conversation, systemText, toolNames } from "./anthropic.ts";
import { responsesInput } from "./openai_responses.ts";
import { geminiContents, geminiTools } from "./gemini.ts";
import type { RecordedRequest, Responder } from "./server.ts";
import type { Turn } from "./script.ts";

/** Options of {@link autoModel}. */
export interface AutoModelOptions {
  /** Wait this long before each answer, so a person can watch (and press Ctrl-C). */
  delayMs?: number;
  /** Called with one line per answered turn (e.g. to log it). */
  log?: (line: string) => void;
}

/** What a main request asks, read from the prompt maos wrote. */
export interface Asked {
  cli: "claude" | "codex" | "gemini";
  /** The planner's request for a JSON plan. */
  planning: boolean;
  /** The tool call of this task's turn has been answered: time to sum up. */
  afterTool: boolean;
  /** maos says the task was interrupted (a resume): sum up at once. */
  resumed: boolean;
  agent: string;
  task: string;
  title: string;
  request: string;
  /** Messages from the team the prompt carried. */
  inbox: number;
  /** Claude Code or the Gemini CLI offered the maos MCP tools. */
  mcp: boolean;
  /** The first `command` in backticks in the task's description: the turn runs it. */
  command?: string;
}

/** The stand-in's responder that plays a model without a script. */
export function autoModel(options: AutoModelOptions = {}): Responder {
  return (request) => {
    const asked = readAsk(request);
    const turn = answer(asked);
    options.log?.(describe(asked));
    const usage = {
      // Rough tokens (4 characters each), so cost and tokens look alive.
      input: Math.ceil(JSON.stringify(request.body ?? "").length / 4),
      output: Math.ceil(JSON.stringify(turn).length / 4),
    };
    return { ...turn, usage, stallMs: options.delayMs || undefined };
  };
}

/** The turn for what was asked. */
export function answer(asked: Asked): Turn {
  if (asked.planning) return { text: JSON.stringify(planFor(asked.request)) };
  const who = asked.agent || "the agent";
  const what = asked.title || "the task";
  if (asked.afterTool || asked.resumed) {
    return {
      text: `Finished "${what}" as ${who}` +
        (asked.resumed && !asked.afterTool ? " after a pause" : "") +
        (asked.inbox ? `, with ${asked.inbox} message(s) from the team` : "") +
        ". (This reply came from the maos model stand-in; no real model ran.)",
    };
  }
  const text = `Looking at "${what}" for the request "${asked.request}".\n` +
    `::maos::discovery:: ${who} checked ${
      asked.task || "its task"
    }: nothing blocks the next step`;
  const note = `${who} is halfway through ${asked.task || "its task"}`;
  if (asked.command) return runCommand(asked.cli, text, asked.command);
  if (asked.cli === "claude" && asked.mcp) {
    return {
      text,
      tools: [{
        name: "mcp__maos__send_message",
        input: { content: note, kind: "info" },
      }],
    };
  }
  if (asked.cli === "gemini") {
    return {
      text,
      tools: [
        asked.mcp
          ? {
            name: "mcp_maos_send_message",
            input: { content: note, kind: "info" },
          }
          : {
            name: "run_shell_command",
            input: {
              command: `maos message send --type info ${shellQuote(note)}`,
              description: "tell the team",
            },
          },
      ],
    };
  }
  if (asked.cli === "claude") {
    return {
      text,
      tools: [{
        name: "Bash",
        input: {
          command: `maos message send --type info ${shellQuote(note)}`,
          description: "tell the team",
        },
      }],
    };
  }
  return {
    text,
    tools: [{
      name: "exec_command",
      input: { cmd: `maos message send --type info ${shellQuote(note)}` },
    }],
  };
}

/** A first turn that runs the task's command (so permissions and approvals can be tried). */
function runCommand(cli: Asked["cli"], text: string, command: string): Turn {
  const call = cli === "claude"
    ? { name: "Bash", input: { command, description: "run a command" } }
    : cli === "gemini"
    ? {
      name: "run_shell_command",
      input: { command, description: "run a command" },
    }
    : { name: "exec_command", input: { cmd: command } };
  return { text, tools: [call] };
}

/** The plan the stand-in proposes: an analyst, then a developer. */
export function planFor(request: string): unknown {
  const about = request || "the request";
  return {
    agents: [
      {
        id: "analyst-001",
        role: "analyst",
        instructions: "Find what the request touches and share it.",
      },
      {
        id: "developer-001",
        role: "developer",
        instructions: "Make the change the analyst describes.",
      },
    ],
    tasks: [
      {
        id: "analyse",
        agent: "analyst-001",
        title: "Analyse the request",
        description: `Find the code and the risks for: ${about}`,
        dependsOn: [],
      },
      {
        id: "implement",
        agent: "developer-001",
        title: "Implement the change",
        description: `Implement: ${about}`,
        dependsOn: ["analyse"],
      },
    ],
  };
}

/** Read what a recorded main request asks (Anthropic or Responses). */
export function readAsk(request: RecordedRequest): Asked {
  const body = request.body;
  let prompt: string;
  let context: string;
  let afterTool: boolean;
  let mcp = false;
  if (request.api === "anthropic") {
    const messages = rawMessages(body);
    const texts = conversation(body).map((m) => m.text);
    const at = promptIndex(messages.map((m, i) => ({
      user: m.role === "user" && !hasBlock(m.content, "tool_result"),
      text: texts[i],
    })));
    prompt = texts[at] ?? "";
    // A tool's result after the prompt: this task's tool call is done.
    afterTool = messages.slice(at + 1).some((m) =>
      hasBlock(m.content, "tool_result")
    );
    context = systemText(body);
    mcp = toolNames(body).includes("mcp__maos__send_message");
  } else if (request.api === "gemini") {
    const parts = geminiContents(body);
    const at = promptIndex(
      parts.map((p) => ({ user: p.role === "user", text: p.text })),
    );
    prompt = parts[at]?.text ?? "";
    afterTool = parts.slice(at + 1).some((p) => p.role === "function_response");
    context = "";
    mcp = geminiTools(body).includes("mcp_maos_send_message");
  } else {
    const items = responsesInput(body);
    const at = promptIndex(
      items.map((i) => ({ user: i.role === "user", text: i.text })),
    );
    prompt = items[at]?.text ?? "";
    // Codex may add items after a tool's output (e.g. a note that MCP tools
    // are now there), so look for the output anywhere after the prompt.
    afterTool = items.slice(at + 1).some((i) => /_output$/.test(i.role));
    context = "";
  }
  const all = `${context}\n${prompt}`;
  const role = /You are (\S+), the /.exec(all);
  const task = /Your task \(([^)]+)\): (.*)/.exec(prompt);
  const inbox =
    /Messages from your team since your last turn:\n([\s\S]*?)(\n\n|$)/
      .exec(prompt)?.[1];
  return {
    cli: request.api === "anthropic"
      ? "claude"
      : request.api === "gemini"
      ? "gemini"
      : "codex",
    planning: /Reply with ONLY a JSON object/.test(prompt),
    afterTool,
    resumed: /You were interrupted/.test(prompt),
    agent: role?.[1] ?? "",
    task: task?.[1] ?? "",
    title: task?.[2]?.trim() ?? "",
    request: /The team's request: (.*)/.exec(prompt)?.[1]?.trim() ?? "",
    inbox: inbox
      ? inbox.split("\n").filter((l) => l.startsWith("#")).length
      : 0,
    mcp,
    command: taskCommand(
      prompt,
      /The team's request: (.*)/.exec(prompt)?.[1] ?? "",
    ),
  };
}

/**
 * The first `…` in the task's description (the paragraph after "Your task
 * (id): title"), unless the request has it too (the stand-in's own plan
 * copies the request into the description).
 */
function taskCommand(prompt: string, request: string): string | undefined {
  const block = /Your task \([^)]+\): [^\n]*\n([\s\S]*?)(\n\n|$)/.exec(prompt)
    ?.[1];
  const command = block ? /`([^`\n]+)`/.exec(block)?.[1]?.trim() : undefined;
  return command && !request.includes(`\`${command}\``) ? command : undefined;
}

/** The last user message that holds maos's prompt (else the last user message). */
function promptIndex(entries: { user: boolean; text: string }[]): number {
  const maos = entries.findLastIndex((e) =>
    e.user && /The team's request:|Reply with ONLY a JSON object/.test(e.text)
  );
  return maos >= 0 ? maos : entries.findLastIndex((e) => e.user);
}

function describe(asked: Asked): string {
  if (asked.planning) return `${asked.cli}: planning → a plan of 2 agents`;
  const step = asked.afterTool || asked.resumed
    ? "summary"
    : asked.command
    ? `run ${asked.command}`
    : "message the team";
  return `${asked.cli}: ${asked.agent || "?"} ${asked.task || "?"} → ${step}`;
}

type Message = { role: string; content: unknown };

function rawMessages(body: unknown): Message[] {
  const messages = (body as { messages?: unknown } | undefined)?.messages;
  return Array.isArray(messages) ? messages as Message[] : [];
}

function hasBlock(content: unknown, type: string): boolean {
  return Array.isArray(content) &&
    content.some((b) => (b as { type?: unknown })?.type === type);
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
