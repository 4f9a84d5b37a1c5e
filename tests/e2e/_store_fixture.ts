/**
 * Stores for the CLI tests, built with the store API itself (Journal.create,
 * append, close), so the CLI reads exactly what the engine writes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { initMaosDir } from "../../store/config.ts";
import { newId } from "../../store/ids.ts";
import { Journal } from "../../store/journal.ts";
import { MaosPaths } from "../../store/paths.ts";
import { FORMAT_VERSION, type NewEvent } from "../../store/schema.ts";
import { foldEvent } from "../../lib/queries/state_fold.ts";

/** A temp project dir with an initialized `.maos/`. */
export async function tempProject(
  prefix = "maos-e2e-",
): Promise<{ dir: string; paths: MaosPaths; cleanup(): Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix });
  const paths = new MaosPaths(path.join(dir, ".maos"));
  await initMaosDir(paths.root);
  return {
    dir,
    paths,
    cleanup: () => Deno.remove(dir, { recursive: true }).catch(() => {}),
  };
}

export interface FixtureOptions {
  id?: string;
  request?: string;
  /** How it ends: `running` leaves it started (as a crash would). */
  end?: "running" | "paused" | "completed" | "failed";
  /** Messages sent while it ran. */
  messages?: {
    from: string;
    to: string | null;
    kind: MessageKind;
    content: string;
  }[];
  /** Cost reported by developer-001. */
  cost?: number;
}

type MessageKind = "discovery" | "request" | "broadcast" | "info" | "error";

/**
 * An orchestration with analyst-001 (task `analyze`) and developer-001
 * (task `build`, after analyze): analyze completes, build runs, then it ends
 * as `end` says. Returns its id.
 */
export async function addOrchestration(
  paths: MaosPaths,
  options: FixtureOptions = {},
): Promise<string> {
  const id = options.id ?? newId();
  const created: NewEvent = {
    type: "orchestration.created",
    id,
    request: options.request ?? "Add input validation to the signup form",
    driver: "sim",
    maxParallel: 2,
    plan: {
      agents: [
        { id: "analyst-001", role: "analyst", driver: "sim", instructions: "" },
        {
          id: "developer-001",
          role: "developer",
          driver: "sim",
          instructions: "",
        },
      ],
      tasks: [
        {
          id: "analyze",
          agent: "analyst-001",
          title: "Analyze the form",
          description: "",
          dependsOn: [],
        },
        {
          id: "build",
          agent: "developer-001",
          title: "Build validation",
          description: "",
          dependsOn: ["analyze"],
        },
      ],
    },
  };
  const journal = await Journal.create(
    paths,
    id,
    created,
    foldEvent,
    "relaxed",
    "test",
  );
  try {
    journal.append({ type: "orchestration.started" });
    journal.append({
      type: "agent.status",
      agent: "analyst-001",
      status: "running",
    });
    journal.append({ type: "task.status", task: "analyze", status: "running" });
    for (const m of options.messages ?? []) {
      journal.append({ type: "message", ...m });
    }
    journal.append({
      type: "task.status",
      task: "analyze",
      status: "completed",
      summary: "found 3 fields",
    });
    journal.append({
      type: "agent.status",
      agent: "analyst-001",
      status: "completed",
    });
    journal.append({
      type: "agent.status",
      agent: "developer-001",
      status: "running",
    });
    journal.append({
      type: "agent.session",
      agent: "developer-001",
      sessionId: "sess-123",
    });
    journal.append({ type: "task.status", task: "build", status: "running" });
    journal.append({ type: "task.progress", task: "build", progress: 40 });
    if (options.cost) {
      journal.append({
        type: "cost",
        agent: "developer-001",
        costUsd: options.cost,
        inputTokens: 1200,
        outputTokens: 80,
      });
    }
    switch (options.end ?? "completed") {
      case "completed":
        journal.append({
          type: "task.status",
          task: "build",
          status: "completed",
        });
        journal.append({
          type: "agent.status",
          agent: "developer-001",
          status: "completed",
        });
        journal.append({ type: "orchestration.completed" });
        break;
      case "failed":
        journal.append({
          type: "task.status",
          task: "build",
          status: "failed",
          summary: "tests fail",
        });
        journal.append({
          type: "agent.status",
          agent: "developer-001",
          status: "failed",
        });
        journal.append({
          type: "orchestration.failed",
          reason: "build failed",
        });
        break;
      case "paused":
        journal.append({
          type: "task.status",
          task: "build",
          status: "paused",
        });
        journal.append({
          type: "agent.status",
          agent: "developer-001",
          status: "paused",
        });
        journal.append({ type: "orchestration.paused", reason: "SIGINT" });
        break;
      case "running":
        break;
    }
  } finally {
    await journal.close();
  }
  return id;
}

/** A pid that is certainly not running any more (a child that has exited). */
export async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

/** Write a run.lock as if `pid` on this host held it (e.g. one killed with -9). */
export function writeLock(paths: MaosPaths, id: string, pid: number): void {
  const now = new Date().toISOString();
  fs.writeFileSync(
    paths.lock(id),
    JSON.stringify(
      {
        formatVersion: FORMAT_VERSION,
        pid,
        host: os.hostname(),
        processStart: null,
        acquiredAt: now,
        heartbeatAt: now,
        command: "maos orchestrate",
      },
      null,
      2,
    ) + "\n",
  );
}
