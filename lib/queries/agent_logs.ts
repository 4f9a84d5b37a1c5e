/**
 * `maos agent logs`: an agent's saved output (`agents/<agent-id>.jsonl`),
 * one task's or all, the last N lines, and what is appended while it runs.
 *
 * @module
 */
import * as fs from "node:fs";
import { usageError } from "../../store/errors.ts";
import { inspectLock } from "../../store/lock.ts";
import type { MaosPaths } from "../../store/paths.ts";
import {
  type AgentOutputLine,
  AgentOutputLineSchema,
} from "../../store/schema.ts";
import { orchestrationStatus, type TaskView } from "./queries.ts";
import { requireAgentOf } from "./choose.ts";

export interface AgentLogOptions {
  task?: string;
  /** Only the last N lines (after the task filter). */
  tail?: number;
}

export interface AgentLog {
  lines: AgentOutputLine[];
  /** The byte offset read up to (whole lines only): where `--follow` goes on. */
  end: number;
  /** Lines that did not parse (a torn last line is not counted). */
  skipped: number;
}

/**
 * Check the agent (and task) exist in the orchestration; a clear usage
 * error otherwise. Returns the agent's tasks (those `task` names, when given).
 */
export function requireAgent(
  paths: MaosPaths,
  id: string,
  agent: string,
  task?: string,
): TaskView[] {
  const status = orchestrationStatus(paths, id, { messages: 0 });
  requireAgentOf(status, agent);
  const tasks = status.tasks.filter((t) => t.agent === agent);
  if (task === undefined) return tasks;
  if (!tasks.some((t) => t.id === task)) {
    throw usageError(
      `${agent} has no task '${task}'`,
      `its tasks: ${tasks.map((t) => t.id).join(", ") || "(none)"}`,
    );
  }
  return tasks.filter((t) => t.id === task);
}

/** The agent's output from byte `from` on (whole lines), filtered and cut to the tail. */
export function readAgentLog(
  paths: MaosPaths,
  id: string,
  agent: string,
  options: AgentLogOptions = {},
  from = 0,
): AgentLog {
  let text = "";
  try {
    const fd = fs.openSync(paths.agentOutput(id, agent), "r");
    try {
      const size = fs.fstatSync(fd).size;
      if (size > from) {
        const bytes = new Uint8Array(size - from);
        fs.readSync(fd, bytes, 0, bytes.length, from);
        text = new TextDecoder().decode(bytes);
      }
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  // A last line without its newline is still being written: read it next time.
  const complete = text.slice(0, text.lastIndexOf("\n") + 1);
  const lines: AgentOutputLine[] = [];
  let skipped = 0;
  for (const raw of complete.split("\n")) {
    if (raw === "") continue;
    let parsed;
    try {
      parsed = AgentOutputLineSchema.safeParse(JSON.parse(raw));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) {
      skipped++;
      continue;
    }
    if (options.task === undefined || parsed.data.task === options.task) {
      lines.push(parsed.data);
    }
  }
  const kept = options.tail === undefined ? lines : lines.slice(-options.tail);
  return {
    lines: kept,
    end: from + new TextEncoder().encode(complete).length,
    skipped,
  };
}

/** Is a process driving the orchestration now (so its agents may write more)? */
export function orchestrationLive(paths: MaosPaths, id: string): boolean {
  return inspectLock(paths.lock(id)).state === "live";
}
