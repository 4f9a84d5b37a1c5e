import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "./_fixtures.ts";
import { sampleEvent, sampleLine } from "./_baselines.ts";
import { EventLog, LOG_START } from "../../store/event_log.ts";
const d = tempDir();
const N = 20000;
const line = sampleLine();
const results: Record<string, number[]> = {};
function bench(name: string, f: (i: number) => void) {
  const t = performance.now();
  for (let i = 0; i < N; i++) f(i);
  (results[name] ??= []).push((performance.now() - t) * 1000 / N);
}
const fd = fs.openSync(path.join(d, "a"), "a");
const enc = new TextEncoder();
const buf = new Uint8Array(64 * 1024);
let lastMs = 0, lastIso = "";
function nowIso() {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
for (let r = 0; r < 15; r++) {
  bench("bare", () => fs.writeSync(fd, line));
  bench("opt encodeInto+isoCache", (i) => {
    const full = { seq: i, at: nowIso(), ...sampleEvent(i) };
    const s = JSON.stringify(full) + "\n";
    const { written } = enc.encodeInto(s, buf);
    fs.writeSync(fd, buf.subarray(0, written));
  });
  bench("opt encode+isoCache", (i) => {
    const full = { seq: i, at: nowIso(), ...sampleEvent(i) };
    fs.writeSync(fd, enc.encode(JSON.stringify(full) + "\n"));
  });
  bench("opt string write", (i) => {
    const full = { seq: i, at: nowIso(), ...sampleEvent(i) };
    fs.writeSync(fd, JSON.stringify(full) + "\n");
  });
  bench("manual", (i) => {
    const full = { seq: i, at: new Date().toISOString(), ...sampleEvent(i) };
    fs.writeSync(fd, new TextEncoder().encode(JSON.stringify(full) + "\n"));
  });
  const log = EventLog.openForAppend(
    path.join(d, "l" + r),
    LOG_START,
    "relaxed",
  );
  bench("EventLog relaxed", (i) => log.append(sampleEvent(i)));
  log.close();
  fs.rmSync(path.join(d, "l" + r));
  fs.ftruncateSync(fd, 0);
}
for (const [k, v] of Object.entries(results)) {
  v.sort((a, b) => a - b);
  console.log(
    k.padEnd(28),
    v[v.length >> 1].toFixed(2),
    "µs  min",
    v[0].toFixed(2),
  );
}
fs.rmSync(d, { recursive: true });
