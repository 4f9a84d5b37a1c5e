/**
 * What the store is measured against (not part of the program): bare loops
 * that do only the system calls a durable write needs, and SQLite doing the
 * same job. Each returns events (or operations) per second, or milliseconds.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { setImmediate } from "node:timers";
import { EventLog, LOG_START } from "../../store/event_log.ts";
import type { Durability, NewEvent } from "../../store/schema.ts";

/** A typical message event: its log line is about 200 bytes. */
export function sampleEvent(i: number): NewEvent {
  return {
    type: "message",
    from: "developer-001",
    to: null,
    kind: "discovery",
    content: `finding ${
      i % 1000
    }: the parser in lib/config.ts reads the file twice; caching it saves 40 ms`,
  };
}

/** The bytes of one line as EventLog writes `sampleEvent` (for same-size loops). */
export function sampleLine(): Uint8Array {
  const full = { seq: 500000, at: new Date().toISOString(), ...sampleEvent(1) };
  return new TextEncoder().encode(JSON.stringify(full) + "\n");
}

/**
 * Give the event loop a turn every `every` appends, as an orchestrator does
 * between agent outputs: timers (the batched policy's group commit) run there.
 */
export const YIELD_EVERY = 500;

/** One event-loop turn: due timers run; no 4 ms clamp as with setTimeout(0). */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Events/s of EventLog.append under `durability`, including the final sync. */
export async function eventLogRate(
  file: string,
  durability: Durability,
  count: number,
): Promise<number> {
  fs.rmSync(file, { force: true });
  const log = EventLog.openForAppend(file, LOG_START, durability);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    log.append(sampleEvent(i));
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await turn();
  }
  log.close(); // strict: nothing left; batched: the last group commit
  return count / ((performance.now() - start) / 1000);
}

/** Events/s of a bare loop: one write of a same-size line, then fdatasync (or not). */
export async function bareAppendRate(
  file: string,
  line: Uint8Array,
  count: number,
  sync: boolean,
): Promise<number> {
  fs.rmSync(file, { force: true });
  const fd = fs.openSync(file, "a", 0o644);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    fs.writeSync(fd, line);
    if (sync) fs.fdatasyncSync(fd);
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await turn();
  }
  const seconds = (performance.now() - start) / 1000;
  fs.closeSync(fd);
  return count / seconds;
}

/**
 * Events/s of SQLite (node:sqlite) in WAL mode at `synchronous`, one insert
 * per transaction (autocommit), each event serialized as a store would.
 */
export async function sqliteRate(
  file: string,
  synchronous: "FULL" | "NORMAL",
  count: number,
): Promise<number> {
  for (const suffix of ["", "-wal", "-shm"]) {
    fs.rmSync(file + suffix, { force: true });
  }
  const db = new DatabaseSync(file);
  db.exec(
    `PRAGMA journal_mode=WAL; PRAGMA synchronous=${synchronous};
     CREATE TABLE events (seq INTEGER PRIMARY KEY, at TEXT NOT NULL,
       type TEXT NOT NULL, body TEXT NOT NULL)`,
  );
  const insert = db.prepare(
    "INSERT INTO events (seq, at, type, body) VALUES (?, ?, ?, ?)",
  );
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const event = sampleEvent(i);
    insert.run(
      i + 1,
      new Date().toISOString(),
      event.type,
      JSON.stringify(event),
    );
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await turn();
  }
  const seconds = (performance.now() - start) / 1000;
  db.close();
  return count / seconds;
}

/** The bare durable replace: temp → write → fsync → close → rename → fsync dir. */
export function bareAtomicWrite(target: string, bytes: Uint8Array): void {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.bare-${process.pid}.tmp`);
  const fd = fs.openSync(temp, "w", 0o644);
  let done = 0;
  while (done < bytes.length) {
    done += fs.writeSync(fd, bytes, done, bytes.length - done);
  }
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(temp, target);
  const dirFd = fs.openSync(dir, "r");
  fs.fsyncSync(dirFd);
  fs.closeSync(dirFd);
}

/** The bare listing: read and JSON-parse every state.json, nothing else. */
export function bareReadAndParse(orchestrationsDir: string): number {
  let parsed = 0;
  for (const name of fs.readdirSync(orchestrationsDir)) {
    const text = fs.readFileSync(
      path.join(orchestrationsDir, name, "state.json"),
      "utf8",
    );
    if (JSON.parse(text)) parsed++;
  }
  return parsed;
}
