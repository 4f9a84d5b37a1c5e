/**
 * Helpers for the engine's end-to-end tests (not part of the program): the
 * real maos as a long-running child that a test can signal and kill, plus
 * readers for what it leaves on disk. One-shot commands go through
 * `runMaos`/`maosOk` of tests/fixtures/recovery_fixture.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { MaosEvent } from "../../store/schema.ts";
import { assert } from "../../store/_test_util.ts";

export { maosOk, type MaosRun, runMaos } from "../fixtures/recovery_fixture.ts";
export {
  assert,
  assertEquals,
  assertIncludes,
} from "../../store/_test_util.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** How maos is started: `$MAOS_BIN` (a compiled binary) or `deno run -A main.ts`. */
export function maosArgv(): string[] {
  const bin = Deno.env.get("MAOS_BIN");
  return bin ? [bin] : [Deno.execPath(), "run", "-A", MAIN];
}

/** The same, as a `/bin/sh` command prefix (for `run:` lines of a plan). */
export function maosShellCommand(): string {
  return maosArgv().map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(
    " ",
  );
}

/** A temp project dir (with `runs/` for marker files), removed after `fn`. */
export async function withProject(
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "maos-engine-e2e-" });
  fs.mkdirSync(path.join(dir, "runs"));
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

export interface PlanSpec {
  agents: {
    id: string;
    role: string;
    driver?: string;
    instructions?: string;
  }[];
  tasks: {
    id: string;
    agent: string;
    title: string;
    dependsOn?: string[];
    run?: string;
  }[];
}

/** Write `plan` as plan.json in `dir` (instructions default to ""); returns its path. */
export function writePlan(dir: string, plan: PlanSpec): string {
  const file = path.join(dir, "plan.json");
  const full = {
    agents: plan.agents.map((a) => ({ instructions: "", ...a })),
    tasks: plan.tasks,
  };
  fs.writeFileSync(file, JSON.stringify(full, null, 2));
  return file;
}

/**
 * A plan file of agents of one driver from [agent, task, dependsOn?] rows
 * (each agent's role is its id, each task titled "Do TASK"); returns its path.
 *
 * @example
 * driverPlan(dir, "codex", [["analyst", "analyze"], ["dev", "build", "analyze"]]);
 */
export function driverPlan(
  dir: string,
  driver: string,
  tasks: [string, string, string?][],
): string {
  const agents = [...new Set(tasks.map(([agent]) => agent))];
  return writePlan(dir, {
    agents: agents.map((id) => ({ id, role: id, driver })),
    tasks: tasks.map(([agent, id, after]) => ({
      id,
      agent,
      title: `Do ${id}`,
      dependsOn: after ? [after] : [],
    })),
  });
}

/** A maos process that runs until it exits by itself or is signalled. */
export class MaosProcess {
  readonly pid: number;
  stdout = "";
  stderr = "";
  private readonly child: Deno.ChildProcess;
  private readonly pumps: Promise<void>[];
  private exitStatus: Deno.CommandStatus | undefined;

  constructor(
    readonly args: string[],
    options: { cwd: string; env?: Record<string, string> },
  ) {
    const [cmd, ...pre] = maosArgv();
    this.child = new Deno.Command(cmd, {
      args: [...pre, ...args],
      cwd: options.cwd,
      env: { NO_COLOR: "1", ...options.env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.pid = this.child.pid;
    this.pumps = [
      pump(this.child.stdout, (text) => (this.stdout += text)),
      pump(this.child.stderr, (text) => (this.stderr += text)),
    ];
    this.child.status.then((status) => (this.exitStatus = status));
  }

  get exited(): boolean {
    return this.exitStatus !== undefined;
  }

  kill(signal: Deno.Signal): void {
    this.child.kill(signal);
  }

  /** Wait for the exit (and all its output); fails after `timeoutMs`. */
  async exit(
    timeoutMs = 20_000,
  ): Promise<{ code: number; signal: string | null }> {
    const status = await withTimeout(
      this.child.status,
      timeoutMs,
      () => `maos ${this.args.join(" ")} did not exit\n${this.output()}`,
    );
    await Promise.all(this.pumps);
    return { code: status.code, signal: status.signal };
  }

  /** stdout and stderr, for failure messages. */
  output(): string {
    return `--- stdout:\n${this.stdout}\n--- stderr:\n${this.stderr}`;
  }
}

async function pump(
  stream: ReadableStream<Uint8Array>,
  add: (text: string) => void,
): Promise<void> {
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    add(text);
  }
}

async function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  message: () => string,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Poll `check` every 50 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(
  check: () => boolean,
  what: string | (() => string),
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for: ${
          typeof what === "string" ? what : what()
        }`,
      );
    }
    await sleep(50);
  }
}

export function maosRoot(dir: string): string {
  return path.join(dir, ".maos");
}

export function orchestrationDir(dir: string, id: string): string {
  return path.join(dir, ".maos", "orchestrations", id);
}

/** The ids of the orchestrations in `dir`'s `.maos/` (none when it has none). */
export function orchestrationIds(dir: string): string[] {
  try {
    return fs.readdirSync(path.join(dir, ".maos", "orchestrations"));
  } catch {
    return [];
  }
}

/** Wait until the one orchestration of `dir` exists; its id. */
export async function waitForOrchestration(
  dir: string,
  maos?: MaosProcess,
): Promise<string> {
  await waitUntil(
    () => orchestrationIds(dir).length === 1,
    () => `an orchestration in ${dir}\n${maos?.output() ?? ""}`,
  );
  return orchestrationIds(dir)[0];
}

/** The events of an orchestration's log (a torn last line is left out). */
export function readEvents(dir: string, id: string): MaosEvent[] {
  let text: string;
  try {
    text = fs.readFileSync(
      path.join(orchestrationDir(dir, id), "events.jsonl"),
      "utf8",
    );
  } catch {
    return [];
  }
  const events: MaosEvent[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      events.push(JSON.parse(line));
    } catch { /* torn tail while it is being written */ }
  }
  return events;
}

/** Status of each task, as the log says now. */
export function taskStatuses(dir: string, id: string): Record<string, string> {
  const status: Record<string, string> = {};
  for (const e of readEvents(dir, id)) {
    if (e.type === "task.status") status[e.task] = e.status;
  }
  return status;
}

/** The latest progress of `task` in the log. */
export function taskProgress(dir: string, id: string, task: string): number {
  let progress = 0;
  for (const e of readEvents(dir, id)) {
    if (e.type === "task.progress" && e.task === task) progress = e.progress;
  }
  return progress;
}

/** seq must be 1, 2, 3 … N. */
export function assertContiguousSeq(events: MaosEvent[]): void {
  events.forEach((e, i) =>
    assert(e.seq === i + 1, `event #${i + 1} has seq ${e.seq}`)
  );
}

/** Lines in a marker file of the project (0 when it does not exist). */
export function countLines(dir: string, file: string): number {
  try {
    return fs.readFileSync(path.join(dir, file), "utf8").split("\n")
      .filter((l) => l !== "").length;
  } catch {
    return 0;
  }
}

export function readText(dir: string, file: string): string {
  try {
    return fs.readFileSync(path.join(dir, file), "utf8");
  } catch {
    return "";
  }
}

/** The pids a task wrote into a marker file, one per line. */
export function readPids(dir: string, file: string): number[] {
  return readText(dir, file).split("\n").filter((l) => l.trim() !== "").map(
    Number,
  );
}

/**
 * Live (not zombie) processes whose process group is `pgid`: an agent and
 * whatever it started. A zombie is dead; it only waits to be reaped by
 * whoever inherited it.
 */
export function liveInGroup(pgid: number): number[] {
  const live: number[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === pgid && state !== "Z" && state !== "X") {
      live.push(Number(name));
    }
  }
  return live;
}

/**
 * Live (not zombie) processes started for orchestration `id`: agents and
 * their children inherit MAOS_ORCHESTRATION_ID, so their environment says.
 */
export function liveAgentsOf(id: string): number[] {
  const marker = `\0MAOS_ORCHESTRATION_ID=${id}\0`;
  const live: number[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      const state = stat.slice(
        stat.lastIndexOf(")") + 2,
        stat.lastIndexOf(")") + 3,
      );
      if (state === "Z" || state === "X") continue;
      const environ = "\0" + fs.readFileSync(`/proc/${name}/environ`, "latin1");
      if (environ.includes(marker)) live.push(Number(name));
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
  }
  return live;
}
