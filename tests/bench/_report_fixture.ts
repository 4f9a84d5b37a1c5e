/**
 * A busy orchestration for the report's scale figures (not part of the
 * program): 5 agents, 20 tasks, N messages spread over two hours, with a
 * pause, a crash (a resume while running), checkpoints and cost events.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import * as fs from "node:fs";
import type { NewEvent } from "../../store/schema.ts";
import type { MaosPaths } from "../../store/paths.ts";
import { createdEvent, makePlan } from "./_fixtures.ts";

const BASE = Date.parse("2026-01-05T09:00:00.000Z");
const SPAN_MS = 2 * 3600_000;
const KINDS = ["discovery", "request", "broadcast", "info", "error"] as const;
const WORDS = [
  "parser",
  "config",
  "timeout",
  "retry",
  "cache",
  "schema",
  "migration",
  "lint",
  "flaky",
  "auth",
  "rate",
  "limit",
];

/** Write orchestration `id` with `messages` messages; its events.jsonl size in bytes. */
export function writeBusyOrchestration(
  paths: MaosPaths,
  id: string,
  messages: number,
): { events: number; bytes: number } {
  const plan = makePlan(5, 20);
  const agents = plan.agents.map((a) => a.id);
  const events: NewEvent[] = [
    createdEvent(id, plan),
    { type: "orchestration.started" },
  ];
  const times: number[] = [BASE, BASE];
  const push = (event: NewEvent, at: number) => {
    events.push(event);
    times.push(at);
  };
  const queue = new Map(
    agents.map((a) => [a, plan.tasks.filter((t) => t.agent === a)]),
  );
  const running = new Map<string, string>();
  for (let i = 0; i < messages; i++) {
    const at = BASE + Math.floor((i / messages) * SPAN_MS);
    const from = agents[i % agents.length];
    const next = queue.get(from)!;
    if (!running.has(from) && next.length) {
      const t = next.shift()!;
      running.set(from, t.id);
      push({ type: "task.status", task: t.id, status: "running" }, at);
    }
    if (i === Math.floor(messages * 0.3)) {
      push({ type: "orchestration.paused", reason: "signal" }, at);
      push({ type: "orchestration.resumed" }, at + 60_000);
    }
    if (i === Math.floor(messages * 0.6)) {
      // kill -9: nothing more is logged until the next resume.
      push({ type: "orchestration.resumed" }, at + 120_000);
    }
    const kind = KINDS[i % 7 % 5];
    const to = kind === "request" || kind === "info"
      ? agents[(i + 1 + (i % 3)) % agents.length]
      : null;
    push({
      type: "message",
      from,
      to,
      kind,
      content: `#${i} ${WORDS[i % WORDS.length]} ${
        WORDS[(i * 7) % WORDS.length]
      }: checked ${i % 97} files, ${i % 13} findings in module ${i % 41}`,
    }, at);
    if (i % 100 === 99) {
      push({
        type: "cost",
        agent: agents[Math.floor(i / 100) % agents.length],
        costUsd: 0.001 * (1 + (i % 5)),
        inputTokens: 1000 + (i % 700),
        outputTokens: 200 + (i % 300),
      }, at);
    }
    if (i % 5000 === 4999 || i % 4999 === 0) {
      const done = running.get(from);
      if (done) {
        push({ type: "task.status", task: done, status: "completed" }, at);
        running.delete(from);
      }
      push({
        type: "checkpoint.created",
        checkpoint: (i + 1).toString(16).padStart(12, "0"),
        name: `auto-${id.slice(0, 8)}-${i}`,
        auto: true,
      }, at);
    }
  }
  for (const t of running.values()) {
    push({ type: "task.status", task: t, status: "completed" }, BASE + SPAN_MS);
  }
  push({ type: "orchestration.completed" }, BASE + SPAN_MS);
  fs.mkdirSync(paths.agentsDir(id), { recursive: true });
  const text = events.map((e, i) =>
    JSON.stringify({
      seq: i + 1,
      at: new Date(times[i]).toISOString(),
      ...e,
    }) + "\n"
  ).join("");
  fs.writeFileSync(paths.events(id), text);
  return { events: events.length, bytes: Buffer.byteLength(text) };
}
