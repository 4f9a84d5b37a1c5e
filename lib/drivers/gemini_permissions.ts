/**
 * A plan agent's permissions (DESIGN.md §4c: `allow`/`deny` rules in Claude
 * Code's syntax, a Claude permission mode) mapped to what the Gemini CLI
 * honours: `--approval-mode`, `tools.allowed` (run without asking) and
 * `tools.exclude` (left out of the tool list). Measured on 0.61.0 under
 * `auto_edit`: edits run, the shell tool is offered, and a shell call that
 * no `tools.allowed` rule covers comes back as "Tool execution denied by
 * policy." (the turn goes on).
 *
 * @module
 */

/** The shape of a plan agent's `permissions` (the permissions issue's; kept local until it lands). */
export interface PermissionRules {
  allow?: string[];
  deny?: string[];
  /** A Claude Code permission mode. */
  mode?: string;
  /** Codex's sandbox: the Gemini CLI has no equivalent here (ignored). */
  sandbox?: string;
}

/** What the Gemini CLI is given for one agent. */
export interface GeminiPermissions {
  approvalMode: "default" | "auto_edit" | "yolo" | "plan";
  /** `tools.allowed` in settings.json. */
  allowed: string[];
  /** `tools.exclude` in settings.json. */
  exclude: string[];
  /** Rules that have no Gemini equivalent, for the driver to say so. */
  ignored: string[];
}

/** Claude Code's tool names → the Gemini CLI's (0.61.0). */
const TOOL_NAMES: Record<string, string> = {
  Bash: "run_shell_command",
  Edit: "replace",
  MultiEdit: "replace",
  Write: "write_file",
  Read: "read_file",
  Glob: "glob",
  Grep: "grep_search",
  LS: "list_directory",
  WebFetch: "web_fetch",
  WebSearch: "google_web_search",
  TodoWrite: "write_todos",
};

/** Claude Code's permission modes → Gemini's approval modes. */
const MODES: Record<string, GeminiPermissions["approvalMode"]> = {
  default: "default",
  dontAsk: "default",
  acceptEdits: "auto_edit",
  auto: "auto_edit",
  bypassPermissions: "yolo",
  plan: "plan",
};

/**
 * What maos's own team channel needs: `maos message send` through the
 * shell tool (the MCP server is trusted in settings, so its tools need no rule).
 */
export const MAOS_ALLOWED = ["run_shell_command(maos message send)"];

/**
 * Map one agent's permissions. Without any, the agent may edit files
 * (`auto_edit`, as claude's acceptEdits) and run only maos's own command.
 *
 * @example
 * geminiPermissions({ allow: ["Bash(npm test:*)"], deny: ["WebFetch"] });
 * // { approvalMode: "auto_edit", allowed: ["run_shell_command(maos message send)", "run_shell_command(npm test)"], exclude: ["web_fetch"], ignored: [] }
 */
export function geminiPermissions(
  rules: PermissionRules = {},
): GeminiPermissions {
  const ignored: string[] = [];
  const map = (list: string[] = []) =>
    list.flatMap((rule) => {
      const name = geminiRule(rule);
      if (name === undefined) ignored.push(rule);
      return name === undefined ? [] : [name];
    });
  const allowed = unique([...MAOS_ALLOWED, ...map(rules.allow)]);
  const exclude = unique(map(rules.deny));
  let approvalMode: GeminiPermissions["approvalMode"] = "auto_edit";
  if (rules.mode !== undefined) {
    const mode = MODES[rules.mode];
    if (mode) approvalMode = mode;
    else ignored.push(`mode ${rules.mode}`);
  }
  return { approvalMode, allowed, exclude, ignored };
}

/**
 * One rule in Gemini's syntax: `Bash` → `run_shell_command`,
 * `Bash(npm test:*)` → `run_shell_command(npm test)` (Gemini matches a
 * command by its prefix), `mcp__srv__tool` → `mcp_srv_tool`; undefined when
 * Gemini has no such tool or no way to say it (a path pattern on Edit).
 */
export function geminiRule(rule: string): string | undefined {
  const match = /^([A-Za-z_][\w-]*)(?:\((.*)\))?$/.exec(rule.trim());
  if (!match) return undefined;
  const [, tool, arg] = match;
  const mcp = /^mcp__([^_].*?)__(.+)$/.exec(tool);
  if (mcp) return arg === undefined ? `mcp_${mcp[1]}_${mcp[2]}` : undefined;
  const name = TOOL_NAMES[tool];
  if (!name) return undefined;
  if (arg === undefined || arg === "*" || arg === "") return name;
  if (name !== "run_shell_command") return undefined;
  // `npm test:*` and `npm test *` are prefixes; a `*` elsewhere is not expressible.
  const prefix = arg.replace(/(:\*|\s\*)$/, "").trim();
  if (prefix === "" || prefix.includes("*")) return undefined;
  return `${name}(${prefix})`;
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
