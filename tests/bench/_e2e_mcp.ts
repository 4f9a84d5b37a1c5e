/**
 * The MCP figures of `deno task bench:report` (not part of the program):
 * 100 `send_message` calls in one session of the real `maos mcp` (compiled
 * binary), through the MCP SDK's Client, for an agent of a real running
 * orchestration; each call timed from request to answer (the message is
 * synced to inbox.jsonl before the answer).
 *
 * @module
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { benchEnv } from "./_e2e.ts";
import type { BenchContext, Group } from "./_figures.ts";
import { makeStore } from "./_fixtures.ts";

const CALLS = 100;

/** The value at quantile q (0-1) of sorted samples, nearest rank. */
export function quantile(sorted: number[], q: number): number {
  const rank = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, rank)];
}

async function waitFor(file: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!fs.existsSync(file)) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${file}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Milliseconds of each of CALLS send_message calls, in one session. */
export async function sendMessageTimes(
  maos: string[],
  dir: string,
): Promise<number[]> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  await makeStore(dir);
  const plan = path.join(dir, "plan.json");
  fs.writeFileSync(
    plan,
    JSON.stringify({
      agents: [{ id: "worker-001", role: "worker", driver: "shell" }],
      tasks: [{
        id: "work",
        agent: "worker-001",
        title: "Wait",
        run: 'printf "%s %s" "$MAOS_ORCHESTRATION_ID" "$MAOS_AGENT_TOKEN" > ' +
          "agent.env.tmp && mv agent.env.tmp agent.env; " +
          "while [ ! -f go ]; do sleep 0.05; done",
      }],
    }),
  );
  const run = spawn(maos[0], [
    ...maos.slice(1),
    "orchestrate",
    "bench",
    "--plan",
    plan,
    "--quiet",
  ], { cwd: dir, env: benchEnv(), stdio: "ignore" });
  const ended = new Promise((resolve) => run.on("exit", resolve));
  try {
    await waitFor(path.join(dir, "agent.env"), 30_000);
    const [id, token] = fs.readFileSync(path.join(dir, "agent.env"), "utf8")
      .split(" ");
    const transport = new StdioClientTransport({
      command: maos[0],
      args: [...maos.slice(1), "mcp"],
      cwd: dir,
      env: {
        ...benchEnv(),
        MAOS_DIR: path.join(dir, ".maos"),
        MAOS_ORCHESTRATION_ID: id,
        MAOS_AGENT_ID: "worker-001",
        MAOS_TASK_ID: "work",
        MAOS_AGENT_TOKEN: token,
      },
      stderr: "ignore",
    });
    const client = new Client({ name: "maos-bench", version: "1" });
    await client.connect(transport);
    const times: number[] = [];
    try {
      for (let i = 0; i < CALLS; i++) {
        const start = performance.now();
        const result = await client.callTool({
          name: "send_message",
          arguments: { content: `finding ${i}: the parser reads twice` },
        });
        times.push(performance.now() - start);
        if (result.isError) throw new Error(JSON.stringify(result.content));
      }
    } finally {
      await client.close();
    }
    return times;
  } finally {
    fs.writeFileSync(path.join(dir, "go"), "");
    await ended;
  }
}

export const mcpGroup: Group = {
  name: "end to end: MCP send_message",
  figures: [{
    name: "mcp_send_message_p50_ms",
    goal: { op: "<=", value: 20 },
    unit: "ms",
    description:
      "median of 100 `send_message` calls in one session of `maos mcp` (compiled binary, SDK Client, agent of a running orchestration; each message synced to inbox.jsonl before the answer)",
  }, {
    name: "mcp_send_message_p99_ms",
    goal: { op: "<=", value: 100 },
    unit: "ms",
    description: "the 99th percentile of the same 100 calls",
  }],
  async run(ctx: BenchContext) {
    const { maos } = ctx.binaries();
    const times = (await sendMessageTimes([maos], path.join(ctx.dir, "mcp")))
      .sort((a, b) => a - b);
    return {
      mcp_send_message_p50_ms: { value: quantile(times, 0.5) },
      mcp_send_message_p99_ms: {
        value: quantile(times, 0.99),
        parts: { maxMs: times[times.length - 1], minMs: times[0] },
      },
    };
  },
};
