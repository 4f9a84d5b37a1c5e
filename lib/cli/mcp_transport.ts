/**
 * The stdio transport of `maos mcp`, with limits a client can live with.
 * The SDK's own transport closes the server (exit 0, pending calls never
 * answered) when a line passes its 10 MiB buffer, and answers malformed
 * `params` with −32603 and a zod dump. Here a line too long is skipped to
 * its end, said on stderr, and answered (−32600, naming the limit) when its
 * id can be read; `params` that do not fit their method are −32602 with one
 * line; a batch or an object that is no JSON-RPC message is −32600 (never
 * silence a client would wait on); everything else goes to the SDK unchanged.
 *
 * @module
 */

import process from "node:process";
import { Buffer } from "node:buffer";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  InitializeRequestSchema,
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  ListToolsRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";

/** The longest request line read (a message at the cap, JSON-escaped, fits). */
export const MCP_LINE_LIMIT = 8 * 1024 * 1024;

/** How much of a too-long line is kept to find its id (start and end). */
const EDGE_BYTES = 512;

/** Methods whose params maos checks before the SDK sees them. */
const PARAM_SCHEMAS = new Map<string, { safeParse(v: unknown): SafeParsed }>([
  ["initialize", InitializeRequestSchema],
  ["tools/list", ListToolsRequestSchema],
  ["tools/call", CallToolRequestSchema],
]);

type SafeParsed = {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
};

type Id = string | number;

export class LimitedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private chunks: Buffer[] = [];
  private size = 0;
  /** In a line past the limit: its start, and how long it has been. */
  private skipping: { head: Buffer; tail: Buffer; bytes: number } | null = null;
  private readonly onData = (chunk: Buffer) => this.take(chunk);
  private readonly onError = (error: Error) => this.onerror?.(error);

  constructor(
    private readonly lineLimit = MCP_LINE_LIMIT,
    private readonly stdin: NodeJS.ReadStream = process.stdin,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly warn: (line: string) => void = (line) =>
      void process.stderr.write(line + "\n"),
  ) {}

  start(): Promise<void> {
    this.stdin.on("data", this.onData);
    this.stdin.on("error", this.onError);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.stdin.off("data", this.onData);
    this.stdin.off("error", this.onError);
    this.stdin.pause();
    this.chunks = [];
    this.onclose?.();
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.stdout.write(JSON.stringify(message) + "\n")) resolve();
      else this.stdout.once("drain", resolve);
    });
  }

  private take(chunk: Buffer): void {
    let rest = chunk;
    while (rest.length > 0) {
      const nl = rest.indexOf(0x0a);
      const piece = nl === -1 ? rest : rest.subarray(0, nl);
      if (this.skipping) this.skipMore(piece);
      else if (this.size + piece.length > this.lineLimit) {
        this.startSkipping(piece);
      } else {
        this.chunks.push(piece);
        this.size += piece.length;
      }
      if (nl === -1) return;
      this.endLine();
      rest = rest.subarray(nl + 1);
    }
  }

  private startSkipping(piece: Buffer): void {
    const all = Buffer.concat([...this.chunks, piece]);
    this.skipping = {
      head: all.subarray(0, EDGE_BYTES),
      tail: all.subarray(Math.max(0, all.length - EDGE_BYTES)),
      bytes: all.length,
    };
    this.chunks = [];
    this.size = 0;
  }

  private skipMore(piece: Buffer): void {
    const s = this.skipping!;
    s.bytes += piece.length;
    const tail = Buffer.concat([s.tail, piece]);
    s.tail = tail.subarray(Math.max(0, tail.length - EDGE_BYTES));
  }

  private endLine(): void {
    if (this.skipping) {
      const { head, tail, bytes } = this.skipping;
      this.skipping = null;
      this.refuseLong(head, tail, bytes);
      return;
    }
    const line = Buffer.concat(this.chunks).toString("utf8").replace(
      /\r$/,
      "",
    );
    this.chunks = [];
    this.size = 0;
    if (line.trim() !== "") this.deliver(line);
  }

  private refuseLong(head: Buffer, tail: Buffer, bytes: number): void {
    const text =
      `maos mcp: refused a request of ${bytes} bytes: the limit is ${this.lineLimit} bytes per line`;
    this.warn(text);
    // The SDK client puts `id` last; others first: look at both ends.
    const id = findId(tail.toString("utf8")) ?? findId(head.toString("utf8"));
    if (id !== undefined) {
      void this.send(errorReply(id, ErrorCode.InvalidRequest, text));
    }
  }

  private deliver(line: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      this.warn("maos mcp: a line that is not JSON was ignored");
      void this.send({
        jsonrpc: "2.0",
        id: null as unknown as Id,
        error: { code: ErrorCode.ParseError, message: "Parse error" },
      } as JSONRPCMessage);
      return;
    }
    const bad = badParams(raw);
    if (bad) {
      void this.send(errorReply(bad.id, ErrorCode.InvalidParams, bad.message));
      return;
    }
    const parsed = JSONRPCMessageSchema.safeParse(raw);
    if (!parsed.success) {
      // Answered, never dropped: a client would wait for it forever.
      const text = Array.isArray(raw)
        ? "maos mcp: a batch is not supported (MCP 2025-06-18): send one request per line"
        : 'maos mcp: not a JSON-RPC 2.0 message (it needs "jsonrpc": "2.0" and a method, result or error)';
      this.warn(text);
      const id = idOf(raw);
      void this.send(
        errorReply(id ?? null as unknown as Id, ErrorCode.InvalidRequest, text),
      );
      return;
    }
    this.onmessage?.(parsed.data);
  }
}

/** A request whose params do not fit its method: its id and one line saying why. */
function badParams(raw: unknown): { id: Id; message: string } | null {
  if (typeof raw !== "object" || raw === null) return null;
  const r = raw as { id?: unknown; method?: unknown };
  if (typeof r.id !== "string" && typeof r.id !== "number") return null;
  const schema = typeof r.method === "string"
    ? PARAM_SCHEMAS.get(r.method)
    : undefined;
  if (!schema) return null;
  const result = schema.safeParse(raw);
  if (result.success) return null;
  const issue = result.error?.issues[0];
  const where = issue?.path.map(String).join(".") || "params";
  return {
    id: r.id,
    message: `Invalid params for ${r.method}: ${where}: ${
      issue?.message ?? "invalid"
    }`,
  };
}

/** The id of a request that is otherwise no JSON-RPC message, if any. */
function idOf(raw: unknown): Id | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return undefined;
  }
  const id = (raw as { id?: unknown }).id;
  return typeof id === "string" || typeof id === "number" ? id : undefined;
}

function findId(text: string): Id | undefined {
  const match = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/.exec(text);
  if (!match) return undefined;
  return match[1].startsWith('"') ? JSON.parse(match[1]) : Number(match[1]);
}

function errorReply(id: Id, code: number, message: string): JSONRPCMessage {
  return { jsonrpc: "2.0", id, error: { code, message } };
}
