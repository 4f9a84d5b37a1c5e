/**
 * The MCP SDK's own Client on the real `maos mcp` (source, or the binary
 * with MAOS_BIN), for the MCP end-to-end tests.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { maosArgv } from "./_engine_helpers.ts";
import { childEnv } from "./run_maos.ts";

export interface Connected {
  client: Client;
  /** What the server wrote on stderr so far. */
  stderr: () => string;
}

/** Start `maos mcp` in `cwd` with `env` (MAOS_* of an agent) and connect. */
export async function connectMcp(
  cwd: string,
  env: Record<string, string>,
): Promise<Connected> {
  const [command, ...pre] = maosArgv();
  const transport = new StdioClientTransport({
    command,
    args: [...pre, "mcp"],
    cwd,
    env: childEnv({ env }),
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Uint8Array) => {
    stderr += new TextDecoder().decode(chunk);
  });
  const client = new Client({ name: "maos-test", version: "1" });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

/** Call a tool; its text answer, and whether it is a tool error. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<{ text: string; isError: boolean }> {
  const result = await client.callTool({ name, arguments: args });
  const content = result.content as { type: string; text: string }[];
  return {
    text: content.map((c) => c.text).join("\n"),
    isError: Boolean(result.isError),
  };
}
