/**
 * What the model stand-in does for one turn (one main request of a CLI),
 * written by a test, and the builders that make such turns short to write.
 * The same script drives every API: anthropic.ts, openai_responses.ts and
 * gemini.ts encode a turn in their own wire format.
 */

/** A tool call the model makes: Claude's `Bash`/`Edit`/`mcp__…`, Codex's `exec_command`, Gemini's `run_shell_command`/`mcp_…`. */
export interface ToolCall {
  name: string;
  input: Record<string, unknown>;
  /**
   * Responses API only: a free-form (custom) tool call whose input is this
   * text — Codex's code-mode `exec` tool takes JavaScript. See codexCode.
   */
  custom?: string;
}

/** Token usage the stand-in reports for one response (what cost is computed from). */
export interface Usage {
  input: number;
  output: number;
}

/** One turn of the model: a reply, or a failure. */
export interface Turn {
  /** Text of the reply (may hold `::maos::` lines). */
  text?: string;
  /** Tool calls after the text; the CLI runs them and sends their results next turn. */
  tools?: ToolCall[];
  /** Usage reported for this response; default 10 in, 5 out. */
  usage?: Usage;
  /** Wait this long before answering at all (headers included). */
  stallMs?: number;
  /** Wait this long in the middle of the stream (after the first text chunk). */
  stallMidMs?: number;
  /** Answer with this HTTP error instead (401, 429, 500, 529 …). */
  status?: number;
  /** Stream half the reply, then cut the connection. */
  cut?: boolean;
}

export const DEFAULT_USAGE: Usage = { input: 10, output: 5 };

/**
 * A reply with text.
 *
 * @example
 * say("Found it\n::maos::discovery:: the API has no auth", { input: 100, output: 20 })
 */
export function say(text: string, usage?: Usage): Turn {
  return { text, usage };
}

/**
 * A tool call (with optional text before it). Claude's tools: `Bash`
 * ({command}), `Edit` ({file_path, old_string, new_string}), `Write`
 * ({file_path, content}), MCP tools as `mcp__SERVER__TOOL`. Codex's:
 * `exec_command` ({cmd}) — see codexExec.
 *
 * @example
 * tool("Bash", { command: "echo hi > out.txt", description: "write" })
 */
export function tool(
  name: string,
  input: Record<string, unknown>,
  options: { text?: string; usage?: Usage } = {},
): Turn {
  return { text: options.text, tools: [{ name, input }], usage: options.usage };
}

/** Claude Code's Bash tool. */
export function bash(command: string, usage?: Usage): Turn {
  return tool("Bash", { command, description: "run a command" }, { usage });
}

/** Claude Code's Write tool (creates or replaces a file; the path must be absolute). */
export function write(filePath: string, content: string): Turn {
  return tool("Write", { file_path: filePath, content });
}

/** Claude Code's Edit tool (the file must have been read or written in the session). */
export function edit(
  filePath: string,
  oldString: string,
  newString: string,
): Turn {
  return tool("Edit", {
    file_path: filePath,
    old_string: oldString,
    new_string: newString,
  });
}

/** Codex 0.169's shell tool, `exec_command` ({cmd}): a shell command line, run in the workdir. */
export function codexExec(cmd: string, usage?: Usage): Turn {
  return tool("exec_command", { cmd }, { usage });
}

/**
 * Codex's code mode (its default model gets one `exec` tool that runs
 * JavaScript): `code` may call any tool on the global `tools` object, MCP
 * tools included, e.g. `await tools.mcp__maos__send_message({…})`.
 *
 * @example
 * codexCode(`await tools.mcp__notes__note({ text: "hi" })`)
 */
export function codexCode(code: string, usage?: Usage): Turn {
  return { tools: [{ name: "exec", input: {}, custom: code }], usage };
}

/** The Gemini CLI's shell tool, `run_shell_command` ({command, description}); offered only when allowed. */
export function geminiShell(command: string, usage?: Usage): Turn {
  return tool("run_shell_command", { command, description: "run a command" }, {
    usage,
  });
}

/** The Gemini CLI's `write_file` ({file_path, content}); a relative path is in the workspace. */
export function geminiWrite(filePath: string, content: string): Turn {
  return tool("write_file", { file_path: filePath, content });
}

/** Hang for `ms` before answering (the CLI sees no byte), then do `then`. */
export function stall(ms: number, then: Turn = { text: "done" }): Turn {
  return { ...then, stallMs: ms };
}

/** Start streaming `then`, then hang for `ms` mid-stream before the rest. */
export function stallMidStream(
  ms: number,
  then: Turn = { text: "done" },
): Turn {
  return { ...then, stallMidMs: ms };
}

/** An HTTP error: 401, 429, 529 overloaded … */
export function fail(status: number): Turn {
  return { status };
}

/**
 * Start the reply, then drop the connection without finishing it. Claude
 * Code then asks again without streaming (that request takes the next turn);
 * with CLAUDE_CODE_DISABLE_NONSTREAMING_FALLBACK=1 it fails instead.
 */
export function cut(text = "Starting on it"): Turn {
  return { text, cut: true };
}
