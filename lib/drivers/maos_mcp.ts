/**
 * How the AI drivers register maos's MCP server (`maos mcp`) with their CLI:
 * the tool names, Claude Code's `--mcp-config` / `--allowedTools`, and
 * Codex's `-c mcp_servers.maos.*` overrides. The server is started with the
 * same maos that started the agent (maos_self.ts).
 *
 * @module
 */

import { maosCommand } from "./maos_self.ts";

/** The MCP server's name as the CLIs see it (`mcp__maos__…` in Claude Code). */
export const MCP_SERVER_NAME = "maos";

/** The tools `maos mcp` offers. */
export const MCP_TOOLS = {
  sendMessage: "send_message",
  readMessages: "read_messages",
  reportProgress: "report_progress",
} as const;

/** The env that tells `maos mcp` (and `maos message send`) who the agent is. */
const AGENT_ENV_KEYS = [
  "MAOS_DIR",
  "MAOS_ORCHESTRATION_ID",
  "MAOS_AGENT_ID",
  "MAOS_TASK_ID",
] as const;

/**
 * The MAOS_* part of a turn's env, for the MCP server's own env. The turn's
 * secret goes as the file that holds it (MAOS_AGENT_TOKEN_FILE, private to
 * this user), never as its value: these settings end up on the agent CLI's
 * command line, which any local user can read. Without the file, the token.
 */
export function mcpServerEnv(
  env: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of AGENT_ENV_KEYS) {
    const value = env[key];
    if (value) out[key] = value;
  }
  if (env.MAOS_AGENT_TOKEN_FILE) {
    out.MAOS_AGENT_TOKEN_FILE = env.MAOS_AGENT_TOKEN_FILE;
  } else if (env.MAOS_AGENT_TOKEN) {
    out.MAOS_AGENT_TOKEN = env.MAOS_AGENT_TOKEN;
  }
  return out;
}

/** The stdio server: command, args and env. */
export interface McpServerSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * `maos mcp` run by this maos, for the agent whose env is given.
 *
 * @example
 * mcpServerSpec({ MAOS_AGENT_ID: "developer-001" }, ["/opt/maos"]);
 * // { command: "/opt/maos", args: ["mcp"], env: { MAOS_AGENT_ID: "developer-001" } }
 */
export function mcpServerSpec(
  env: Record<string, string | undefined>,
  self: string[] = maosCommand(),
): McpServerSpec {
  return {
    command: self[0],
    args: [...self.slice(1), "mcp"],
    env: mcpServerEnv(env),
  };
}

/**
 * Claude Code's `--mcp-config` value (inline JSON).
 *
 * @example
 * claudeMcpConfig(spec); // '{"mcpServers":{"maos":{"type":"stdio","command":…}}}'
 */
export function claudeMcpConfig(spec: McpServerSpec): string {
  // alwaysLoad: Claude Code 2.1 waits for this server before its first
  // request (otherwise a slow start leaves the tools out of that request and
  // offers WaitForMcpServers instead) and never defers its tools.
  return JSON.stringify({
    mcpServers: {
      [MCP_SERVER_NAME]: { type: "stdio", ...spec, alwaysLoad: true },
    },
  });
}

/**
 * What Claude Code runs without asking under `--permission-mode acceptEdits`:
 * exactly the maos MCP tools, and `maos message send` for its Bash tool.
 */
export function claudeAllowedTools(): string[] {
  return [
    ...Object.values(MCP_TOOLS).map((t) => `mcp__${MCP_SERVER_NAME}__${t}`),
    "Bash(maos message send:*)",
  ];
}

/**
 * `codex exec` arguments that register the server: `-c key=value` pairs
 * whose values are TOML (JSON strings and arrays of strings are valid TOML).
 * Codex starts MCP servers with a reduced environment, so MAOS_* are passed
 * explicitly.
 *
 * @example
 * codexMcpArgs(spec); // ["-c", 'mcp_servers.maos.command="/opt/maos"', "-c", 'mcp_servers.maos.args=["mcp"]', …]
 */
export function codexMcpArgs(spec: McpServerSpec): string[] {
  const key = `mcp_servers.${MCP_SERVER_NAME}`;
  const pairs = [
    `${key}.command=${JSON.stringify(spec.command)}`,
    `${key}.args=${JSON.stringify(spec.args)}`,
    // Measured on Codex 0.169: without these it may answer before the
    // server is up, and `codex exec` (approval policy "never") refuses its
    // tools as "requires approval".
    `${key}.required=true`,
    `${key}.default_tools_approval_mode="approve"`,
    ...Object.entries(spec.env).map(([name, value]) =>
      `${key}.env.${name}=${JSON.stringify(value)}`
    ),
  ];
  return pairs.flatMap((pair) => ["-c", pair]);
}
