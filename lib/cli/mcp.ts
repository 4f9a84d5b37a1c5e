import { Command } from "@commander-js/extra-typings";
import { examples } from "./_util.ts";
import { contextOf } from "./context.ts";

/**
 * `maos mcp`: the MCP server for AI agents, on stdin/stdout. The SDK is
 * imported here, on demand, so no other command pays for loading it.
 */
export function mcpCommand() {
  const cmd = new Command("mcp")
    .description(
      "serve the MCP tools an AI agent uses to talk to its team " +
        "(send_message, read_messages, report_progress) on stdin/stdout; " +
        "started by the claude, codex and gemini drivers, reads MAOS_* env",
    )
    .action(async (_flags, command) => {
      const ctx = contextOf(command);
      const { serveMcp } = await import("./mcp_server.ts");
      await serveMcp(ctx.location);
    });
  return examples(cmd, [
    "maos mcp   # as Claude Code starts it for an agent (MAOS_* env set by maos)",
    "MAOS_ORCHESTRATION_ID=a1b2 MAOS_AGENT_ID=developer-001 maos mcp   # by hand: it reads;",
    "#   sending as the agent needs its turn's MAOS_AGENT_TOKEN, which only maos gives",
  ]);
}
