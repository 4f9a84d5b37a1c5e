/**
 * The permission-prompt tool of `maos mcp`: Claude Code runs with
 * `--permission-prompt-tool mcp__maos__permission_prompt` and calls it for
 * a tool call no rule allows. It asks a person through maos
 * (lib/approvals/ask.ts) and answers allow or deny as one JSON text block
 * (shared/CLAUDE-PROTOCOL.md).
 *
 * @module
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { loadConfig } from "../../store/config.ts";
import { askApproval, type PromptAnswer } from "../approvals/ask.ts";
import { PERMISSION_PROMPT_TOOL } from "../drivers/maos_mcp.ts";
import type { AgentIdentity } from "../channel/agent_channel.ts";

/** Register the tool; `agent()` throws when MAOS_* env is missing. */
export function registerPermissionPrompt(
  server: McpServer,
  agent: () => AgentIdentity,
  closing?: AbortSignal,
): void {
  server.registerTool(
    PERMISSION_PROMPT_TOOL,
    {
      title: "Ask a person for permission (used by Claude Code)",
      description:
        "Claude Code calls this when a tool call needs a permission the agent " +
        "lacks; maos asks a person and answers allow or deny. Agents need not call it.",
      inputSchema: {
        tool_name: z.string(),
        input: z.record(z.string(), z.unknown()),
        tool_use_id: z.string().optional(),
      },
    },
    async (
      { tool_name, input }: {
        tool_name: string;
        input: Record<string, unknown>;
      },
    ) => {
      let answer: PromptAnswer;
      try {
        const who = agent();
        const config = await loadConfig(who.paths);
        answer = await askApproval(
          who,
          { tool: tool_name, input },
          config.approvals.waitSeconds * 1000,
          closing,
        );
      } catch (err) {
        // Nothing to ask through: refuse, saying why (never allow by accident).
        const why = err instanceof Error ? err.message : String(err);
        answer = { behavior: "deny", message: `maos could not ask: ${why}` };
      }
      return { content: [{ type: "text", text: JSON.stringify(answer) }] };
    },
  );
}
