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

/**
 * Events handed to the log, built before timing: making an event is the
 * caller's work (an agent's output), not the store's.
 */
const EVENTS: NewEvent[] = Array.from(
  { length: 1000 },
  (_, i) => sampleEvent(i),
);

/** The bytes of one line as EventLog writes `sampleEvent` (for same-size loops). */
export function sampleLine(): Uint8Array {
  const full = { seq: 500000, at: new Date().toISOString(), ...sampleEvent(1) };
  return new TextEncoder().encode(JSON.stringify(full) + "\n");
}

/**
 * Give the event loop a turn every `YIELD_EVERY` appends, as an orchestrator
 * does between agent outputs: timers (the batched policy's group commit) run there.
 */
export const YIELD_EVERY = 500;

/** One event-loop turn: due timers run; no 4 ms clamp as with setTimeout(0). */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Something that appends events: measured in blocks interleaved with its
 * rivals, so a slow moment of a shared disk hits all of them alike.
 */
export interface Appender {
  /** Append `count` events. */
  block(count: number): Promise<void>;
  /** Finish (a final sync where the policy has one); part of the timed work. */
  close(): void;
}

/** EventLog.append under `durability`. */
export function eventLogAppender(
  file: string,
  durability: Durability,
): Appender {
  fs.rmSync(file, { force: true });
  const log = EventLog.openForAppend(file, LOG_START, durability);
  let i = 0;
  return {
    async block(count) {
      for (let n = 0; n < count; n++, i++) {
        log.append(EVENTS[i % EVENTS.length]);
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await turn();
      }
    },
    close: () => log.close(),
  };
}

/** A bare loop: one write of a same-size line, then fdatasync (or not). */
export function bareAppender(
  file: string,
  line: Uint8Array,
  sync: boolean,
): Appender {
  fs.rmSync(file, { force: true });
  const fd = fs.openSync(file, "a", 0o644);
  let i = 0;
  return {
    async block(count) {
      for (let n = 0; n < count; n++, i++) {
        fs.writeSync(fd, line);
        if (sync) fs.fdatasyncSync(fd);
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await turn();
      }
    },
    close: () => fs.closeSync(fd),
  };
}

/**
 * SQLite (node:sqlite) in WAL mode at `synchronous`, one insert per
 * transaction (autocommit), each event serialized as a store would.
 */
export function sqliteAppender(
  file: string,
  synchronous: "FULL" | "NORMAL",
): Appender {
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
  let i = 0;
  return {
    async block(count) {
      for (let n = 0; n < count; n++, i++) {
        const event = EVENTS[i % EVENTS.length];
        insert.run(
          i + 1,
          new Date().toISOString(),
          event.type,
          JSON.stringify(event),
        );
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await turn();
      }
    },
    close: () => db.close(),
  };
}

/**
 * Events/s of each appender: `rounds` rounds, each appending one block per
 * appender (in rotating order), then each is closed (timed as its own work).
 */
export async function appendRates<K extends string>(
  appenders: Record<K, { make: () => Appender; block: number }>,
  rounds: number,
): Promise<Record<K, number>> {
  const keys = Object.keys(appenders) as K[];
  const made = {} as Record<K, Appender>;
  const ms = {} as Record<K, number>;
  for (const key of keys) {
    made[key] = appenders[key].make();
    ms[key] = 0;
  }
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < keys.length; k++) {
      const key = keys[(k + round) % keys.length];
      const start = performance.now();
      await made[key].block(appenders[key].block);
      if (round === rounds - 1) made[key].close();
      ms[key] += performance.now() - start;
    }
  }
  const rates = {} as Record<K, number>;
  for (const key of keys) {
    rates[key] = (appenders[key].block * rounds) / (ms[key] / 1000);
  }
  return rates;
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
