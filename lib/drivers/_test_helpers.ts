/**
 * Helpers shared by the driver tests (not part of the program): a TaskRun
 * builder that records events, and process-liveness checks.
 */
import process from "node:process";
import type { DriverEvent, TaskRun } from "./driver.ts";

/** Absolute path of tests/fixtures/. */
export const FIXTURES = new URL("../../tests/fixtures/", import.meta.url)
  .pathname;

/** A TaskRun with sensible defaults, its recorded events, and its abort controllers. */
export function makeRun(overrides: Partial<TaskRun> = {}): {
  run: TaskRun;
  events: DriverEvent[];
  pids: number[];
  stop: AbortController;
  kill: AbortController;
} {
  const events: DriverEvent[] = [];
  const pids: number[] = [];
  const stop = new AbortController();
  const kill = new AbortController();
  const run: TaskRun = {
    agent: {
      id: "developer-001",
      role: "developer",
      driver: "shell",
      instructions: "Write the code.",
    },
    task: {
      id: "t1",
      agent: "developer-001",
      title: "Build it",
      description: "Build the thing.",
      dependsOn: [],
    },
    request: "Make a thing",
    inbox: [],
    cwd: Deno.cwd(),
    env: { MAOS_AGENT_ID: "developer-001", MAOS_TASK_ID: "t1" },
    stop: stop.signal,
    kill: kill.signal,
    emit: (e) => events.push(e),
    onProcess: (pid) => pids.push(pid),
    ...overrides,
  };
  return { run, events, pids, stop, kill };
}

/** The output lines among recorded events. */
export function outputs(events: DriverEvent[]): string[] {
  return events.flatMap((e) => e.type === "output" ? [e.line] : []);
}

/** True when no process has this pid any more (a zombie counts as gone). */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as { code?: string }).code === "ESRCH";
  }
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

/** Wait until the pid is gone; false if it is still there after `ms`. */
export async function waitGone(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (isGone(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return isGone(pid);
}

/** Pids of the live (non-zombie) processes in a process group, from /proc. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      // Fields after "comm)": state ppid pgrp …
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) === pgid && state !== "Z") {
        members.push(Number(entry.name));
      }
    } catch {
      // It ended while we looked.
    }
  }
  return members;
}

/** Wait until a process group has no live member; false if it still has after `ms`. */
export async function waitGroupGone(
  pgid: number,
  ms: number,
): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (groupMembers(pgid).length === 0) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return groupMembers(pgid).length === 0;
}
