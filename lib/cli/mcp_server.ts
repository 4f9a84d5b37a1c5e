/**
 * `maos mcp`: a stdio MCP server (the official TypeScript SDK) through which
 * an AI agent talks to its team: send a message, read the messages new to
 * it, report progress. Loaded only by this command, so the SDK costs the
 * other commands nothing at startup.
 *
 * @module
 */

import process from "node:process";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { MaosError } from "../../store/errors.ts";
import { type MessageKind, MessageKindSchema } from "../../store/schema.ts";
import { LimitedStdioTransport } from "./mcp_transport.ts";
import {
  DEFAULT_MCP_LIMITS,
  type McpLimits,
  mcpLimits,
  PagedReader,
  READ_LIMIT_DEFAULT,
  READ_LIMIT_MAX,
} from "./mcp_read.ts";
import {
  type AgentIdentity,
  agentIdentity,
  MessageReader,
  reportAgentProgress,
  requireAgentOf,
  sendAgentMessage,
} from "../channel/agent_channel.ts";
import {
  MCP_SERVER_NAME,
  MCP_TOOLS,
  PERMISSION_PROMPT_ENV,
} from "../drivers/maos_mcp.ts";
import type { StoreLocation } from "../engine/run_options.ts";
import { VERSION } from "../version.ts";
import { registerPermissionPrompt } from "./mcp_permission_tool.ts";

type ToolResult = {
  content: { type: "text"; text: string }[];
  isError?: boolean;
};

const text = (t: string): ToolResult => ({
  content: [{ type: "text", text: t }],
});

/** Errors become tool errors with one clear line (and the hint), never a crash. */
function guarded<A>(fn: (args: A) => string): (args: A) => ToolResult {
  return (args) => {
    try {
      return text(fn(args));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const hint = err instanceof MaosError && err.hint ? ` (${err.hint})` : "";
      return { ...text(`maos: ${message}${hint}`), isError: true };
    }
  };
}

/** The server with its tools, for the agent that MAOS_* env names. */
export function buildMcpServer(
  location: StoreLocation,
  limits: McpLimits = DEFAULT_MCP_LIMITS,
  /** Aborted when the client goes away: a waiting permission prompt stops. */
  closing?: AbortSignal,
): McpServer {
  // Who the agent is is read once; without it every tool says why.
  let who: AgentIdentity | undefined;
  let whoError: unknown;
  let reader: PagedReader | undefined;
  try {
    who = agentIdentity(location);
    requireAgentOf(who);
    // The fallback start of the turn is now, when the CLI starts the server.
    reader = new PagedReader(new MessageReader(who));
  } catch (err) {
    whoError = err;
  }
  const agent = (): AgentIdentity => {
    if (!who) throw whoError;
    return who;
  };

  const server = new McpServer({ name: MCP_SERVER_NAME, version: VERSION });
  server.registerTool(
    MCP_TOOLS.sendMessage,
    {
      title: "Send a message to the team",
      description:
        "Send a message to another agent of your maos team, or to all of them. " +
        "Use it to share a finding others need (kind 'discovery'), to ask one " +
        "agent for something (kind 'request' with 'to'), to tell everyone " +
        "('broadcast' or 'info'), or to report a problem ('error'). The message " +
        "is saved before this returns; the others see it mid-turn with " +
        `${MCP_TOOLS.readMessages} or at the start of their next turn.`,
      inputSchema: {
        content: z.string().min(1).describe("the message text"),
        to: z.string().optional().describe(
          "agent id (e.g. developer-001) or role; leave out for everyone",
        ),
        kind: MessageKindSchema.optional().describe(
          "discovery | request | broadcast | info | error (default info)",
        ),
      },
    },
    guarded((
      { content, to, kind }: {
        content: string;
        to?: string;
        kind?: MessageKind;
      },
    ) => {
      const me = agent();
      const sent = sendAgentMessage(me, {
        content,
        to,
        kind: kind ?? "info",
      }, limits.maxMessageBytes);
      // Written all the same (the refusal is logged, doctor reports it), but
      // the agent is told that nobody will get it.
      if (!me.token) {
        throw new MaosError(
          `no agent token: this message is not taken as ${me.agentId}'s (it is logged as refused)`,
          2,
          "MAOS_AGENT_TOKEN_FILE is unset or gone with its turn: only the MCP server maos starts for a turn can speak for its agent",
        );
      }
      return `Sent (${sent.kind}) to ${sent.to ?? "all"}.`;
    }),
  );
  server.registerTool(
    MCP_TOOLS.readMessages,
    {
      title: "Read new team messages",
      description:
        "Read the messages other agents of your team sent to you or to all " +
        "since your turn began. Each call returns only messages you have not " +
        "read yet. Use it before a decision others may affect, and now and " +
        "then in a long task, so you can coordinate while you work. " +
        "An answer is bounded in size: when more are waiting it says so; " +
        "call again for the next ones.",
      inputSchema: {
        limit: z.number().int().min(1).max(READ_LIMIT_MAX).optional()
          .describe(
            `at most this many messages (default ${READ_LIMIT_DEFAULT})`,
          ),
        after: z.number().int().min(0).optional().describe(
          "only messages logged after this #seq (skips older unread ones)",
        ),
      },
    },
    guarded(({ limit, after }: { limit?: number; after?: number }) => {
      agent();
      return reader!.page({
        limit: limit ?? READ_LIMIT_DEFAULT,
        after,
        maxBytes: limits.maxReadBytes,
      });
    }),
  );
  server.registerTool(
    MCP_TOOLS.reportProgress,
    {
      title: "Report your task's progress",
      description:
        "Tell maos how far along your current task is, in percent (0-100), " +
        "with an optional short note. Use it at milestones of a long task; " +
        "the team's status shows it.",
      inputSchema: {
        percent: z.number().min(0).max(100).describe("0-100"),
        note: z.string().optional().describe("what is done or next, briefly"),
      },
    },
    guarded(({ percent, note }: { percent: number; note?: string }) => {
      const done = reportAgentProgress(agent(), percent, note);
      return `Progress of ${done.task}: ${done.percent}%.`;
    }),
  );
  if (location.env[PERMISSION_PROMPT_ENV] === "1") {
    registerPermissionPrompt(server, agent, closing);
  }
  return server;
}

/** Serve on stdin/stdout until the client closes stdin. */
export async function serveMcp(location: StoreLocation): Promise<void> {
  const closing = new AbortController();
  const server = buildMcpServer(
    location,
    await mcpLimits(location),
    closing.signal,
  );
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => {
      closing.abort();
      resolve();
    };
  });
  // Claude Code ends a server by closing its stdin: exit then.
  process.stdin.on("end", () => {
    closing.abort();
    void server.close();
  });
  await server.connect(new LimitedStdioTransport());
  await closed;
}
