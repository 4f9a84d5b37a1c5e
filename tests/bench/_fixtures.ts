/**
 * Fixtures for the benchmarks (not part of the program): `.maos/` trees with
 * long event logs and many orchestrations, written directly (one big write
 * per chunk of lines) so a 1,000,000-event log takes seconds, not minutes.
 * Every line is a valid event (store/schema.ts EventSchema) with contiguous
 * seq, and state.json is the fold of the log up to a point near its end, so
 * the store reads these files exactly as it reads its own.
 *
 * @module
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { initMaosDir } from "../../store/config.ts";
import { toJsonText } from "../../store/json_file.ts";
import { MaosPaths } from "../../store/paths.ts";
import {
  FORMAT_VERSION,
  type MaosEvent,
  type NewEvent,
  type OrchestrationState,
  type Plan,
  type SnapshotFile,
} from "../../store/schema.ts";
import { foldEvent } from "../../lib/queries/state_fold.ts";

/** A new temp dir for one benchmark run; remove it with `removeDir`. */
export function tempDir(prefix = "maos-bench-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A fresh `.maos/` under `dir`. */
export async function makeStore(dir: string): Promise<MaosPaths> {
  const root = path.join(dir, ".maos");
  await initMaosDir(root);
  return new MaosPaths(root);
}

/** A plan with `agents` agents and `tasks` tasks (each depending on the one before in its agent). */
export function makePlan(agents: number, tasks: number): Plan {
  const roles = ["analyst", "developer", "tester", "reviewer", "writer"];
  const agentIds = Array.from({ length: agents }, (_, i) => {
    const role = roles[i % roles.length];
    return { id: `${role}-${pad(i + 1, 3)}`, role };
  });
  return {
    agents: agentIds.map(({ id, role }) => ({
      id,
      role,
      driver: "sim",
      instructions: `You are the ${role}. Keep the others informed.`,
    })),
    tasks: Array.from({ length: tasks }, (_, i) => ({
      id: `task-${pad(i + 1, 4)}`,
      agent: agentIds[i % agents].id,
      title: `Task ${i + 1}: part ${i + 1} of the request`,
      description: `Do part ${
        i + 1
      } of the work and report what you found to the team.`,
      dependsOn: i >= agents ? [`task-${pad(i + 1 - agents, 4)}`] : [],
    })),
  };
}

/** The first event of an orchestration with `plan`. */
export function createdEvent(id: string, plan: Plan): NewEvent {
  return {
    type: "orchestration.created",
    id,
    request: "Benchmark the storage engine with a long, busy orchestration",
    driver: "sim",
    maxParallel: 3,
    plan,
  };
}

const BASE_TIME = Date.parse("2026-01-05T09:00:00.000Z");

/**
 * Event `seq` (≥ 2) of the synthetic history: about 10% messages, the rest
 * progress, statuses, sessions and cost, the mix a busy run produces.
 */
export function syntheticEvent(plan: Plan, seq: number): NewEvent {
  const agent = plan.agents[seq % plan.agents.length].id;
  const task = plan.tasks[seq % plan.tasks.length].id;
  switch (seq % 10) {
    case 0:
      return {
        type: "message",
        from: agent,
        to: seq % 30 === 0 ? plan.agents[0].id : null,
        kind: seq % 20 === 0 ? "discovery" : "info",
        content: `finding ${seq}: the handler in module ${
          seq % 97
        } reads the configuration twice; caching it saves a round trip`,
      };
    case 1:
    case 3:
    case 5:
      return { type: "task.progress", task, progress: (seq * 7) % 100 };
    case 2:
      return { type: "agent.status", agent, status: "running" };
    case 4:
      return { type: "task.status", task, status: "running" };
    case 6:
      return { type: "cost", agent, totalUsd: Math.round(seq / 10) / 1000 };
    case 7:
      return {
        type: "agent.session",
        agent,
        sessionId: `sess-${(seq % 9973).toString(16).padStart(8, "0")}`,
      };
    case 8:
      return { type: "task.progress", task, progress: (seq * 3) % 100 };
    default:
      return { type: "agent.status", agent, status: "pending" };
  }
}

/** The event as EventLog stores it: `{seq, at, ...event}`. */
export function fullEvent(event: NewEvent, seq: number): MaosEvent {
  const at = new Date(BASE_TIME + seq * 10).toISOString();
  return { seq, at, ...event } as MaosEvent;
}

/** One log line exactly as EventLog writes it. */
export function eventLine(event: NewEvent, seq: number): string {
  return JSON.stringify(fullEvent(event, seq)) + "\n";
}

export interface LongLog {
  id: string;
  events: number;
  /** Bytes of events.jsonl. */
  bytes: number;
  /** Messages in the log. */
  messages: number;
}

/**
 * Write orchestration `id` with `events` events (the last one pauses it) and
 * a state.json taken `tail` events before the end, as an auto-save would
 * leave it. The fold runs as the lines are written, so state.json is exactly
 * what the store would have saved.
 */
export function writeLongOrchestration(
  paths: MaosPaths,
  id: string,
  events: number,
  options: { agents?: number; tasks?: number; tail?: number } = {},
): LongLog {
  const plan = makePlan(options.agents ?? 5, options.tasks ?? 20);
  const tail = Math.min(options.tail ?? 50, events - 1);
  fs.mkdirSync(paths.agentsDir(id), { recursive: true });
  const fd = fs.openSync(paths.events(id), "w", 0o644);
  let state: OrchestrationState | undefined;
  let snapshot: SnapshotFile | undefined;
  let offset = 0;
  let messages = 0;
  const encoder = new TextEncoder();
  let chunk: string[] = [];
  const flush = () => {
    const bytes = encoder.encode(chunk.join(""));
    fs.writeSync(fd, bytes);
    offset += bytes.length;
    chunk = [];
  };
  try {
    let chunkBytes = 0;
    for (let seq = 1; seq <= events; seq++) {
      const event: NewEvent = seq === 1
        ? createdEvent(id, plan)
        : seq === events
        ? { type: "orchestration.paused", reason: "benchmark fixture" }
        : syntheticEvent(plan, seq);
      if (event.type === "message") messages++;
      const full = fullEvent(event, seq);
      const line = JSON.stringify(full) + "\n";
      state = foldEvent(state, full);
      chunk.push(line);
      // Line lengths in bytes: every line here is ASCII.
      chunkBytes += line.length;
      if (seq === events - tail) {
        flush();
        chunkBytes = 0;
        snapshot = {
          formatVersion: FORMAT_VERSION,
          state,
          logOffset: offset,
        };
      } else if (chunkBytes > 1 << 20) {
        flush();
        chunkBytes = 0;
      }
    }
    flush();
  } finally {
    fs.closeSync(fd);
  }
  fs.writeFileSync(paths.state(id), toJsonText(snapshot));
  return { id, events, bytes: offset, messages };
}

/**
 * `count` small orchestrations (a short log and its state.json):
 * mostly completed, some paused, some `running` with no lock (interrupted).
 * Returns the ids.
 */
export function writeManyOrchestrations(
  paths: MaosPaths,
  count: number,
): string[] {
  const plan = makePlan(3, 4);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = (0x100000000000 + i * 7919).toString(16).slice(-12);
    ids.push(id);
    const first = fullEvent(createdEvent(id, plan), 1);
    let state = foldEvent(undefined, first);
    const lines = [JSON.stringify(first) + "\n"];
    let seq = 1;
    const extra: NewEvent[] = [
      { type: "orchestration.started" },
      ...plan.tasks.map((t): NewEvent => ({
        type: "task.status",
        task: t.id,
        status: "completed",
        summary: `${t.title}: done`,
      })),
      {
        type: "message",
        from: plan.agents[0].id,
        to: null,
        kind: "discovery",
        content: "a finding",
      },
      i % 10 === 0
        ? { type: "task.progress", task: plan.tasks[0].id, progress: 50 }
        : i % 5 === 0
        ? { type: "orchestration.paused", reason: "SIGINT" }
        : { type: "orchestration.completed" },
    ];
    for (const event of extra) {
      seq++;
      const full = fullEvent(event, seq);
      lines.push(JSON.stringify(full) + "\n");
      state = foldEvent(state, full);
    }
    fs.mkdirSync(paths.orchestration(id), { recursive: true });
    const log = lines.join("");
    fs.writeFileSync(paths.events(id), log);
    const file: SnapshotFile = {
      formatVersion: FORMAT_VERSION,
      state,
      logOffset: log.length,
    };
    fs.writeFileSync(paths.state(id), toJsonText(file));
  }
  return ids;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}
