/**
 * `maos mcp` fed raw JSON-RPC lines, as a client nobody here wrote sends
 * them: every line that carries a request gets an answer — a batch (which
 * MCP 2025-06-18 does not have) and an object that is no JSON-RPC message
 * are −32600, never silence that leaves the client waiting.
 */
import {
  assertEquals,
  assertIncludes,
  withProject,
} from "./_engine_helpers.ts";
import { childEnv, maosCommand } from "./run_maos.ts";

type Reply = { id: unknown; error?: { code: number; message: string } };

async function mcpLines(cwd: string, lines: unknown[]) {
  const [cmd, ...pre] = maosCommand();
  const child = new Deno.Command(cmd, {
    args: [...pre, "mcp"],
    cwd,
    env: childEnv({}),
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(
    new TextEncoder().encode(
      lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
    ),
  );
  await writer.close();
  const out = await child.output();
  const replies = new TextDecoder().decode(out.stdout).split("\n")
    .filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Reply);
  return { replies, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("maos mcp answers a batch and a message without jsonrpc with -32600 instead of leaving them unanswered", async () => {
  await withProject(async (dir) => {
    const { replies, stderr } = await mcpLines(dir, [
      {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "raw", version: "1" },
        },
      },
      [{ jsonrpc: "2.0", id: 2, method: "tools/list" }],
      { id: 3, method: "tools/list" },
      { jsonrpc: "2.0", id: 4, method: "tools/list" },
    ]);
    const byId = new Map(replies.map((r) => [JSON.stringify(r.id), r]));
    const batch = replies.find((r) => r.id === null);
    assertEquals(batch?.error?.code, -32600, JSON.stringify(replies));
    assertIncludes(batch!.error!.message, "one request per line");
    assertEquals(byId.get("3")?.error?.code, -32600, JSON.stringify(replies));
    assertEquals(byId.get("4")?.error, undefined, JSON.stringify(replies));
    assertIncludes(stderr, "maos mcp: ");
  });
});
