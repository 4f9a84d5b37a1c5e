/**
 * End-to-end figures of `deno task bench:report` (not part of the program):
 * the real `maos orchestrate --quiet` as a child process, process start
 * included, with shell agents printing `::maos::` messages or plain lines,
 * against baselines measured in the same run.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import process from "node:process";
import { DatabaseSync } from "node:sqlite";
import { makeStore } from "./_fixtures.ts";

/** What every message says (with its number): the same text for maos and SQLite. */
const MESSAGE_TEXT =
  "the parser in lib/config.ts reads the file twice; caching it saves 40 ms";

/** A shell command printing `count` messages (numbered from `first`) as fast as it can. */
export function messagesCommand(count: number, first = 0): string {
  return `awk 'BEGIN { for (i = ${first}; i < ${
    first + count
  }; i++) print "::maos::info:: finding " i ": ${MESSAGE_TEXT}" }'`;
}

/** A shell command printing `count` plain output lines. */
export function outputCommand(count: number): string {
  return `awk 'BEGIN { for (i = 0; i < ${count}; i++) print "output line " i ": ${MESSAGE_TEXT}" }'`;
}

/** A project with an initialised `.maos/`, where each run adds one orchestration. */
export class E2eProject {
  private plans = 0;

  private constructor(readonly dir: string) {}

  static async create(dir: string): Promise<E2eProject> {
    fs.mkdirSync(dir, { recursive: true });
    await makeStore(dir);
    return new E2eProject(dir);
  }

  /** plan-N.json: `agents` shell agents, one task each running `commands[i]`. */
  plan(commands: string[]): string {
    const file = path.join(this.dir, `plan-${++this.plans}.json`);
    const agents = commands.map((_, i) => ({
      id: `worker-${String(i + 1).padStart(3, "0")}`,
      role: "worker",
      driver: "shell",
      instructions: "",
    }));
    fs.writeFileSync(
      file,
      JSON.stringify({
        agents,
        tasks: commands.map((run, i) => ({
          id: `spam-${i + 1}`,
          agent: agents[i].id,
          title: "Print as fast as it can",
          run,
        })),
      }),
    );
    return file;
  }

  /** `maos orchestrate --quiet` with every agent at once; wall milliseconds. */
  orchestrate(maos: string[], plan: string, agents: number): number {
    const start = performance.now();
    this.run(maos, plan, agents);
    const ms = performance.now() - start;
    this.clear();
    return ms;
  }

  /** The argv of the same run (for a peak-RSS wrapper). */
  argv(maos: string[], plan: string, agents: number): string[] {
    return [
      ...maos,
      "orchestrate",
      "benchmark run",
      "--plan",
      plan,
      "--quiet",
      "--max-parallel",
      String(agents),
    ];
  }

  /** Remove the orchestrations and checkpoints runs left (the disk fills otherwise). */
  clear(): void {
    for (const sub of ["orchestrations", "checkpoints"]) {
      const dir = path.join(this.dir, ".maos", sub);
      for (const name of fs.readdirSync(dir)) {
        fs.rmSync(path.join(dir, name), { recursive: true, force: true });
      }
    }
  }

  private run(maos: string[], plan: string, agents: number): void {
    const argv = this.argv(maos, plan, agents);
    const result = spawnSync(argv[0], argv.slice(1), {
      cwd: this.dir,
      env: benchEnv(),
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
    });
    if (result.status !== 0) {
      throw new Error(
        `${argv.join(" ")} exited ${result.status}: ${result.stderr}`,
      );
    }
  }
}

/** Our environment without MAOS_* (the bench may run inside an agent). */
export function benchEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("MAOS_") && value !== undefined) env[key] = value;
  }
  return env;
}

/**
 * The baseline of the seed's design: each message one single-row INSERT
 * (autocommit) into SQLite in WAL mode at synchronous=NORMAL, the same
 * messages; opening, creating the table and closing included. Milliseconds.
 */
export function sqliteMessages(file: string, count: number): number {
  for (const suffix of ["", "-wal", "-shm"]) {
    fs.rmSync(file + suffix, { force: true });
  }
  const start = performance.now();
  const db = new DatabaseSync(file);
  db.exec(
    `PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
     CREATE TABLE messages (id INTEGER PRIMARY KEY, at TEXT NOT NULL,
       sender TEXT NOT NULL, recipient TEXT, kind TEXT NOT NULL,
       content TEXT NOT NULL)`,
  );
  const insert = db.prepare(
    "INSERT INTO messages (at, sender, recipient, kind, content) VALUES (?, ?, ?, ?, ?)",
  );
  for (let i = 0; i < count; i++) {
    insert.run(
      new Date().toISOString(),
      "worker-001",
      null,
      "info",
      `finding ${i}: ${MESSAGE_TEXT}`,
    );
  }
  db.close();
  return performance.now() - start;
}

/** The same command with its output piped to a file: wall milliseconds. */
export function bareToFile(command: string, file: string): number {
  const start = performance.now();
  const result = spawnSync("/bin/sh", ["-c", `${command} > '${file}'`], {
    stdio: "ignore",
  });
  const ms = performance.now() - start;
  if (result.status !== 0) {
    throw new Error(`${command} exited ${result.status}`);
  }
  fs.rmSync(file, { force: true });
  return ms;
}
