/**
 * Appending events: the store's EventLog under each durability policy
 * against a bare loop doing only the system calls, and against SQLite doing
 * the same job. `deno task bench:report` turns these into ratios with goals.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { EventLog, LOG_START } from "../../store/event_log.ts";
import type { Durability } from "../../store/schema.ts";
import { sampleEvent, sampleLine } from "./_baselines.ts";
import { removeDir, tempDir } from "./_fixtures.ts";

const dir = tempDir("maos-bench-append-");
globalThis.addEventListener("unload", () => removeDir(dir));
const line = sampleLine();
const events = Array.from({ length: 1000 }, (_, i) => sampleEvent(i));

function openLog(name: string, durability: Durability): EventLog {
  return EventLog.openForAppend(path.join(dir, name), LOG_START, durability);
}

function openBare(name: string): number {
  return fs.openSync(path.join(dir, name), "a", 0o644);
}

function openSqlite(name: string, synchronous: "FULL" | "NORMAL") {
  const db = new DatabaseSync(path.join(dir, name));
  db.exec(
    `PRAGMA journal_mode=WAL; PRAGMA synchronous=${synchronous};
     CREATE TABLE events (seq INTEGER PRIMARY KEY, at TEXT NOT NULL,
       type TEXT NOT NULL, body TEXT NOT NULL)`,
  );
  return db.prepare(
    "INSERT INTO events (seq, at, type, body) VALUES (?, ?, ?, ?)",
  );
}

// ---- strict: every event is on disk when append returns

const bareSync = openBare("bare-sync.jsonl");
Deno.bench("bare write + fdatasync", {
  group: "append strict",
  baseline: true,
}, () => {
  fs.writeSync(bareSync, line);
  fs.fdatasyncSync(bareSync);
});

const strict = openLog("strict.jsonl", "strict");
let strictN = 0;
Deno.bench("EventLog strict", { group: "append strict" }, () => {
  strict.append(events[strictN++ % events.length]);
});

const sqliteFull = openSqlite("full.db", "FULL");
let fullN = 0;
Deno.bench("SQLite WAL synchronous=FULL", { group: "append strict" }, () => {
  const event = events[fullN % events.length];
  sqliteFull.run(
    ++fullN,
    new Date().toISOString(),
    event.type,
    JSON.stringify(event),
  );
});

// ---- batched: written at once, group commit at least every 100 ms

const bare = openBare("bare.jsonl");
Deno.bench("bare write", { group: "append batched", baseline: true }, () => {
  fs.writeSync(bare, line);
});

const batched = openLog("batched.jsonl", "batched");
let batchedN = 0;
Deno.bench("EventLog batched", { group: "append batched" }, () => {
  batched.append(events[batchedN++ % events.length]);
});

const relaxed = openLog("relaxed.jsonl", "relaxed");
let relaxedN = 0;
Deno.bench("EventLog relaxed", { group: "append batched" }, () => {
  relaxed.append(events[relaxedN++ % events.length]);
});

const sqliteNormal = openSqlite("normal.db", "NORMAL");
let normalN = 0;
Deno.bench("SQLite WAL synchronous=NORMAL", { group: "append batched" }, () => {
  const event = events[normalN % events.length];
  sqliteNormal.run(
    ++normalN,
    new Date().toISOString(),
    event.type,
    JSON.stringify(event),
  );
});
