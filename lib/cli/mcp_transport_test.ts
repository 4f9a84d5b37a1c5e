import { PassThrough } from "node:stream";
import { Buffer } from "node:buffer";
import { assert, assertEquals } from "../../store/_test_util.ts";
import { LimitedStdioTransport } from "./mcp_transport.ts";

/** A transport on in-memory streams: what it delivers, answers and warns. */
function harness(limit: number) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const warnings: string[] = [];
  const transport = new LimitedStdioTransport(
    limit,
    stdin as unknown as NodeJS.ReadStream,
    stdout as unknown as NodeJS.WriteStream,
    (line) => warnings.push(line),
  );
  const delivered: unknown[] = [];
  transport.onmessage = (m) => delivered.push(m);
  let out = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  const replies = () =>
    out.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
  return { stdin, transport, delivered, warnings, replies };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

Deno.test("lines split across chunks are delivered whole; CRLF is a line end", async () => {
  const h = harness(1000);
  await h.transport.start();
  const line = JSON.stringify({ jsonrpc: "2.0", method: "ping", id: 7 });
  h.stdin.write(line.slice(0, 10));
  h.stdin.write(line.slice(10) + "\r\n" + line);
  h.stdin.write("\n");
  await tick();
  assertEquals(h.delivered.length, 2);
  assertEquals((h.delivered[0] as { id: number }).id, 7);
});

Deno.test("a line past the limit is skipped to its end and answered by id (first or last), the next one still works", async () => {
  const h = harness(200);
  await h.transport.start();
  const big = "x".repeat(1000);
  // id first, as many clients write it; then id last, as the SDK's Client does.
  h.stdin.write(
    `{"jsonrpc":"2.0","id":"a1","method":"tools/call","params":{"x":"${big}`,
  );
  h.stdin.write(`${big}"}}\n`);
  h.stdin.write(
    `{"method":"tools/call","params":{"x":"${big}"},"jsonrpc":"2.0","id":9}\n`,
  );
  h.stdin.write(
    JSON.stringify({ jsonrpc: "2.0", method: "ping", id: 10 }) + "\n",
  );
  await tick();
  const replies = h.replies();
  assertEquals(replies.map((r) => [r.id, r.error.code]), [["a1", -32600], [
    9,
    -32600,
  ]]);
  assert(replies[0].error.message.includes("the limit is 200 bytes per line"));
  assertEquals(h.warnings.length, 2);
  assertEquals((h.delivered[0] as { id: number }).id, 10);
});

Deno.test("tools/call params of the wrong shape are -32602 in one line; a line that is not JSON is a parse error", async () => {
  const h = harness(10_000);
  await h.transport.start();
  h.stdin.write(
    JSON.stringify({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { arguments: 5 },
    }) + "\n",
  );
  h.stdin.write("not json\n");
  await tick();
  const [bad, parse] = h.replies();
  assertEquals([bad.id, bad.error.code], [3, -32602]);
  assert(!bad.error.message.includes("\n"));
  assertEquals(parse.error.code, -32700);
  assertEquals(h.delivered.length, 0);
});
