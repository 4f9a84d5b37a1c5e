/**
 * `read_messages` in pages a client can take: at most `limit` messages and
 * a bounded number of bytes per answer, the rest kept for the next call
 * and announced ("N more waiting"). Also the limits `maos mcp` runs with,
 * from maos.json.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { loadConfig } from "../../store/config.ts";
import { findMaosDir, MaosPaths } from "../../store/paths.ts";
import { MESSAGE_MAX_BYTES } from "../../store/schema.ts";
import type {
  ChannelMessage,
  MessageReader,
} from "../channel/agent_channel.ts";
import type { StoreLocation } from "../engine/run_options.ts";

/** Messages per read_messages answer, unless the call says otherwise. */
export const READ_LIMIT_DEFAULT = 20;
export const READ_LIMIT_MAX = 200;
/** Text per read_messages answer: well within what any MCP client takes. */
export const MCP_READ_BYTES = 64 * 1024;

/** What `maos mcp` accepts and answers at most. */
export interface McpLimits {
  /** send_message refuses a longer body (a tool error stating it). */
  maxMessageBytes: number;
  /** read_messages answers at most this much text, saying more are waiting. */
  maxReadBytes: number;
}

export const DEFAULT_MCP_LIMITS: McpLimits = {
  maxMessageBytes: MESSAGE_MAX_BYTES,
  maxReadBytes: MCP_READ_BYTES,
};

/** The limits of the store the agent works in (defaults when it has none). */
export async function mcpLimits(location: StoreLocation): Promise<McpLimits> {
  const root = findMaosDir(location);
  if (!root) return DEFAULT_MCP_LIMITS;
  try {
    const config = await loadConfig(new MaosPaths(root));
    return { ...DEFAULT_MCP_LIMITS, maxMessageBytes: config.messages.maxBytes };
  } catch {
    // A bad maos.json is reported by the tools' own errors, not here.
    return DEFAULT_MCP_LIMITS;
  }
}

function messageLine(m: ChannelMessage): string {
  const where = m.seq === null ? "(pending)" : `#${m.seq}`;
  return `${where} ${m.type} from ${m.from} to ${m.to ?? "all"}: ${m.content}`;
}

/** A MessageReader whose unread messages wait in a queue between answers. */
export class PagedReader {
  private backlog: ChannelMessage[] = [];

  constructor(private readonly reader: MessageReader) {}

  /** The next answer of read_messages. */
  page(options: { limit: number; after?: number; maxBytes: number }): string {
    this.backlog.push(...this.reader.readNew());
    const { after } = options;
    if (after !== undefined) {
      this.backlog = this.backlog.filter((m) =>
        m.seq === null || m.seq > after
      );
    }
    const lines: string[] = [];
    let bytes = 0;
    while (this.backlog.length > 0 && lines.length < options.limit) {
      let line = messageLine(this.backlog[0]);
      const size = Buffer.byteLength(line) + 1;
      if (bytes + size > options.maxBytes) {
        if (lines.length > 0) break;
        // One message longer than a whole answer: its start, and the rest cut.
        line = cutToBytes(line, options.maxBytes - 200) +
          ` … (cut at ${options.maxBytes} bytes)`;
      }
      lines.push(line);
      bytes += size;
      this.backlog.shift();
    }
    if (lines.length === 0) return "No new messages.";
    const waiting = this.backlog.length;
    if (waiting > 0) {
      const last = lines.length;
      lines.push(
        `(${waiting} more message${
          waiting === 1 ? "" : "s"
        } waiting after these ${last}: call read_messages again)`,
      );
    }
    return lines.join("\n");
  }
}

function cutToBytes(text: string, max: number): string {
  const buf = Buffer.from(text);
  if (buf.length <= max) return text;
  // Drop a partial character at the cut.
  return buf.subarray(0, Math.max(0, max)).toString("utf8").replace(
    /\uFFFD$/,
    "",
  );
}
