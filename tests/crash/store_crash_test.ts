/**
 * kill -9 at a random moment must lose nothing acknowledged and leave files
 * that load: a real writer process (journal_writer.ts) appends events and
 * snapshots until SIGKILL; then the files are checked and written again.
 *
 * The kill moments are random; set MAOS_CRASH_SEED to replay a failing run
 * (every failure message prints the seed and the delay).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { newId } from "../../store/ids.ts";
import {
  Journal,
  loadOrchestration,
  readSnapshot,
} from "../../store/journal.ts";
import { LOG_START, scanLog } from "../../store/event_log.ts";
import { MaosPaths } from "../../store/paths.ts";
import type { Durability, MaosEvent } from "../../store/schema.ts";
import { foldEvent } from "../../lib/queries/state_fold.ts";
import {
  assert,
  assertEquals,
  foldLog,
  LineReader,
  REPO,
  withTempDir,
} from "../../store/_test_util.ts";

const WRITER = new URL("./journal_writer.ts", import.meta.url).pathname;
const SEED = Number(Deno.env.get("MAOS_CRASH_SEED") ?? Date.now() % 1e9);

/** mulberry32: a small seeded PRNG, so a failing run can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface TrialResult {
  acked: number;
  logged: number;
  snapshotSeq: number;
  leftoverTemp: number;
}

/** Byte offset just after each line: ends[k] is after event k+1. */
function lineEnds(file: string): number[] {
  const bytes = fs.readFileSync(file);
  const ends: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) ends.push(i + 1);
  }
  return ends;
}

async function trial(
  durability: Durability,
  snapshotEvery: number,
  delayMs: number,
  label: string,
): Promise<TrialResult> {
  let result: TrialResult | undefined;
  await withTempDir(async (dir) => {
    const paths = new MaosPaths(path.join(dir, ".maos"));
    const id = newId();
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        WRITER,
        paths.root,
        id,
        durability,
        `${snapshotEvery}`,
      ],
      cwd: REPO,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const lines = new LineReader(child.stdout);

    // Acks are collected until the pipe closes: those printed just before
    // the kill count too.
    const acked: number[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      for (
        let line = await lines.next();
        line !== null;
        line = await lines.next()
      ) {
        assert(line.startsWith("ack "), `${label}: unexpected output ${line}`);
        acked.push(Number(line.slice(4)));
        timer ??= setTimeout(() => child.kill("SIGKILL"), delayMs);
      }
    } finally {
      clearTimeout(timer);
      try {
        child.kill("SIGKILL"); // already dead unless something above failed
      } catch { /* it is */ }
    }
    const status = await child.status;
    assertEquals(
      status.signal,
      "SIGKILL",
      `${label}: the writer ended by itself: ${await stderr}`,
    );
    assert(acked.length > 0, `${label}: no ack before the kill`);
    acked.forEach((seq, i) => assertEquals(seq, i + 2, `${label}: ack order`));

    // 1. The log: contiguous, every acknowledged event present exactly once.
    const events: MaosEvent[] = [];
    const scan = scanLog(paths.events(id), LOG_START, (e) => events.push(e));
    events.forEach((e, i) => assertEquals(e.seq, i + 1, `${label}: seq`));
    const lastAcked = acked.at(-1)!;
    assert(
      scan.end.seq >= lastAcked,
      `${label}: acked ${lastAcked} but the log ends at ${scan.end.seq}`,
    );
    assert(scan.end.seq <= lastAcked + 1, `${label}: events nobody appended`);

    // 2. state.json parses, is the fold of the log up to its seq, and points
    //    at the end of that event's line.
    const snapshot = readSnapshot(paths, id);
    assert(snapshot, `${label}: state.json missing`);
    const snapSeq = snapshot.state.lastSeq;
    assert(
      snapSeq >= 1 && snapSeq <= scan.end.seq,
      `${label}: snapshot seq ${snapSeq}`,
    );
    assertEquals(snapshot.state, foldLog(paths.events(id), snapSeq), label);
    assertEquals(
      snapshot.logOffset,
      lineEnds(paths.events(id))[snapSeq - 1],
      label,
    );
    // Every snapshot that finished before the last ack is on disk.
    const lastFinished = Math.max(
      1,
      Math.floor((lastAcked - 1) / snapshotEvery) * snapshotEvery,
    );
    assert(
      snapSeq >= lastFinished,
      `${label}: snapshot at ${snapSeq}, expected at least ${lastFinished}`,
    );

    // 3. A reader loads it: the snapshot plus the tail equals the whole fold.
    const loaded = loadOrchestration(paths, id, foldEvent);
    assertEquals(loaded.hintMatched, true, label);
    assertEquals(loaded.state, foldLog(paths.events(id)), label);
    assertEquals(loaded.end, scan.end, label);

    // 4. A new writer takes over the dead one's lock, cuts any torn tail
    //    and goes on with the next seq.
    const journal = Journal.open(paths, id, foldEvent, durability, "verifier");
    assertEquals(journal.opened.tornBytes, scan.tornBytes, label);
    const next = journal.append({
      type: "message",
      from: "verifier",
      to: null,
      kind: "info",
      content: "after the crash",
    });
    assertEquals(next.seq, scan.end.seq + 1, label);
    await journal.close();
    const after = scanLog(paths.events(id), LOG_START, () => {});
    assertEquals(after.end.seq, scan.end.seq + 1, label);
    assertEquals(after.tornBytes, 0, label);
    assertEquals(
      loadOrchestration(paths, id, foldEvent).state,
      foldLog(paths.events(id)),
      label,
    );
    assert(!fs.existsSync(paths.lock(id)), `${label}: lock left behind`);

    // Only a temp file of an interrupted snapshot may be left over.
    const extra = fs.readdirSync(paths.orchestration(id)).filter((name) =>
      !["agents", "events.jsonl", "state.json"].includes(name)
    );
    assert(
      extra.every((name) => /^\.state\.json\.\d+\.[0-9a-f]+\.tmp$/.test(name)),
      `${label}: unexpected files ${extra}`,
    );
    assert(extra.length <= 1, `${label}: ${extra.length} temp files`);

    result = {
      acked: acked.length,
      logged: scan.end.seq,
      snapshotSeq: snapSeq,
      leftoverTemp: extra.length,
    };
  });
  return result!;
}

/** Run trials two at a time (the suite must stay short on two cores). */
async function runTrials(
  plan: { durability: Durability; snapshotEvery: number }[],
  name: string,
): Promise<TrialResult[]> {
  const rng = random(SEED + name.length);
  const jobs = plan.map((p, i) => {
    const delay = Math.round(20 + rng() * 380);
    return {
      ...p,
      delay,
      label:
        `${name} trial ${i} (${p.durability}, kill ${delay} ms after the first ack, seed ${SEED})`,
    };
  });
  const results: TrialResult[] = [];
  const failures: unknown[] = [];
  let next = 0;
  // On a failure, stop starting trials but let the running one finish, so
  // no writer outlives the test.
  const worker = async () => {
    while (next < jobs.length && failures.length === 0) {
      const job = jobs[next++];
      try {
        results.push(
          await trial(job.durability, job.snapshotEvery, job.delay, job.label),
        );
      } catch (err) {
        failures.push(err);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  if (failures.length > 0) throw failures[0];
  return results;
}

const POLICIES: Durability[] = ["strict", "batched", "relaxed"];

for (const durability of POLICIES) {
  Deno.test(`kill -9 of a '${durability}' writer loses no acknowledged event and leaves loadable files (17 trials)`, async () => {
    const results = await runTrials(
      Array.from({ length: 17 }, () => ({ durability, snapshotEvery: 10 })),
      `crash-${durability}`,
    );
    assertEquals(results.length, 17);
    // The kills landed mid-stream, not before the writer got going.
    assert(results.some((r) => r.acked > 20), JSON.stringify(results));
  });
}

Deno.test("kill -9 while snapshotting after every event never leaves a half-written state.json (15 trials)", async () => {
  const results = await runTrials(
    Array.from({ length: 15 }, (_, i) => ({
      durability: POLICIES[i % 3],
      snapshotEvery: 1,
    })),
    "crash-snapshot",
  );
  assertEquals(results.length, 15);
  // Most of such a writer's time is spent inside writeFileAtomic: some kills
  // must have landed there (a temp file left behind), or this test saw nothing.
  const midSnapshot = results.filter((r) => r.leftoverTemp > 0).length;
  assert(
    midSnapshot > 0,
    `no kill landed mid-snapshot: ${JSON.stringify(results)}`,
  );
  console.log(
    `  ${midSnapshot} of ${results.length} kills landed while state.json was being written`,
  );
});
