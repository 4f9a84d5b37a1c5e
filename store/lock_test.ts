import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import process from "node:process";
import {
  acquireLock,
  HEARTBEAT_MS,
  inspectLock,
  processStartTime,
  STALE_HEARTBEAT_MS,
} from "./lock.ts";
import { FORMAT_VERSION, type LockFile, LockFileSchema } from "./schema.ts";
import {
  assert,
  assertEquals,
  assertIncludes,
  assertMaosError,
  deadPid,
  FIXTURES,
  LineReader,
  REPO,
  runFixture,
  sleep,
  withTempDir,
} from "./_test_util.ts";

function readLock(file: string): LockFile {
  return LockFileSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
}

function writeLock(file: string, fields: Partial<LockFile>): LockFile {
  const now = new Date().toISOString();
  const lock: LockFile = {
    formatVersion: FORMAT_VERSION,
    pid: process.pid,
    host: os.hostname(),
    processStart: null,
    acquiredAt: now,
    heartbeatAt: now,
    command: "someone else",
    ...fields,
  };
  fs.writeFileSync(file, JSON.stringify(lock));
  return lock;
}

const secondsAgo = (s: number) => new Date(Date.now() - s * 1000).toISOString();

Deno.test("acquireLock creates run.lock with pid, host, start time and heartbeat", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "run.lock");
    const held = acquireLock(file, "maos orchestrate");
    try {
      const lock = readLock(file);
      assertEquals(lock.pid, process.pid);
      assertEquals(lock.host, os.hostname());
      assertEquals(lock.command, "maos orchestrate");
      assertEquals(lock.processStart, processStartTime(process.pid));
      assertEquals(inspectLock(file).state, "live");
    } finally {
      held.release();
    }
    assertEquals(inspectLock(file), { state: "free" });
    assert(!fs.existsSync(file));
  });
});

Deno.test("the lock is exclusive: a second acquire in the same process is refused with code 3", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "run.lock");
    const held = acquireLock(file, "first");
    try {
      assertMaosError(
        () => acquireLock(file, "second"),
        3,
        `pid ${process.pid}`,
      );
      assertEquals(readLock(file).command, "first");
    } finally {
      held.release();
    }
  });
});

Deno.test("a second process that wants a held lock gets code 3 naming our pid and host", async () => {
  await withTempDir(async (dir) => {
    const file = path.join(dir, "run.lock");
    const held = acquireLock(file, "maos orchestrate");
    try {
      const out = await runFixture("store_lock_child.ts", ["try", file]);
      assertEquals(out.code, 0, out.stderr);
      const result = JSON.parse(out.stdout);
      assertEquals(result.ok, false);
      assertEquals(result.code, 3);
      assertIncludes(result.message, `pid ${process.pid}`);
      assertIncludes(result.message, os.hostname());
      assertIncludes(result.message, "maos orchestrate");
      assertEquals(readLock(file).pid, process.pid);
    } finally {
      held.release();
    }
    // Once released, the other process gets it.
    const out = await runFixture("store_lock_child.ts", ["try", file]);
    assertEquals(JSON.parse(out.stdout).ok, true, out.stdout + out.stderr);
    assert(!fs.existsSync(file), "the child released its lock");
  });
});

Deno.test("a lock left by a dead process on this host is stale and taken over", async () => {
  await withTempDir(async (dir) => {
    const file = path.join(dir, "run.lock");
    const pid = await deadPid();
    writeLock(file, { pid, heartbeatAt: new Date().toISOString() });
    const view = inspectLock(file);
    assertEquals(view.state, "stale");
    if (view.state === "stale") assertIncludes(view.reason, `${pid}`);

    const held = acquireLock(file, "taker");
    try {
      assertEquals(readLock(file).pid, process.pid);
      assertEquals(readLock(file).command, "taker");
      assert(!fs.existsSync(file + ".takeover"));
    } finally {
      held.release();
    }
  });
});

Deno.test("a lock whose pid now belongs to another process (recycled pid) is stale", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "run.lock");
    const start = processStartTime(process.pid);
    if (start === null) return; // no /proc: start times are not known here
    writeLock(file, { pid: process.pid, processStart: `${Number(start) + 1}` });
    const view = inspectLock(file);
    assertEquals(view.state, "stale");
    writeLock(file, { pid: process.pid, processStart: start });
    assertEquals(inspectLock(file).state, "live");
  });
});

Deno.test("a lock from another host is live with a fresh heartbeat and stale with an old one", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "run.lock");
    const pid = 999_999; // meaningless on another host: never checked locally
    writeLock(file, { pid, host: "other-host", heartbeatAt: secondsAgo(5) });
    assertEquals(inspectLock(file).state, "live");
    assertMaosError(
      () => acquireLock(file, "me"),
      3,
      `pid ${pid} on other-host`,
    );
    assertEquals(readLock(file).host, "other-host");

    writeLock(file, {
      pid,
      host: "other-host",
      heartbeatAt: secondsAgo(STALE_HEARTBEAT_MS / 1000 + 5),
    });
    const view = inspectLock(file);
    assertEquals(view.state, "stale");
    if (view.state === "stale") assertIncludes(view.reason, "other-host");
    const held = acquireLock(file, "me");
    assertEquals(readLock(file).host, os.hostname());
    held.release();
  });
});

Deno.test("an unreadable lock file is live while fresh (being written) and stale when old", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "run.lock");
    fs.writeFileSync(file, '{"formatVersion":1,"pi');
    assertEquals(inspectLock(file).state, "live");
    assertMaosError(() => acquireLock(file, "me"), 3);
    const old = new Date(Date.now() - STALE_HEARTBEAT_MS - 10_000);
    fs.utimesSync(file, old, old);
    assertEquals(inspectLock(file).state, "stale");
    const held = acquireLock(file, "me");
    assertEquals(readLock(file).pid, process.pid);
    held.release();
  });
});

Deno.test("beat() refreshes the heartbeat and keeps everything else", async () => {
  await withTempDir(async (dir) => {
    const file = path.join(dir, "run.lock");
    const held = acquireLock(file, "me");
    try {
      const before = readLock(file);
      await sleep(5);
      held.beat();
      const after = readLock(file);
      assert(Date.parse(after.heartbeatAt) > Date.parse(before.heartbeatAt));
      assertEquals({ ...after, heartbeatAt: "" }, {
        ...before,
        heartbeatAt: "",
      });
      assertEquals(fs.readdirSync(dir), ["run.lock"]);
    } finally {
      held.release();
    }
  });
});

Deno.test("the heartbeat refreshes by itself, at least every 5 s", async () => {
  assert(HEARTBEAT_MS <= 5000);
  assert(HEARTBEAT_MS * 3 < STALE_HEARTBEAT_MS);
  await withTempDir(async (dir) => {
    const file = path.join(dir, "run.lock");
    const held = acquireLock(file, "me");
    try {
      const first = readLock(file).heartbeatAt;
      let waited = 0;
      while (readLock(file).heartbeatAt === first && waited < 5000 + 2000) {
        await sleep(100);
        waited += 100;
      }
      assert(readLock(file).heartbeatAt !== first, "no heartbeat came");
    } finally {
      held.release();
    }
  });
});

Deno.test("release removes only our own lock", async () => {
  await withTempDir(async (dir) => {
    const file = path.join(dir, "run.lock");
    const pid = await deadPid();

    let held = acquireLock(file, "me");
    // Someone took it over meanwhile (e.g. after our heartbeat was judged old).
    writeLock(file, { pid, command: "the new owner" });
    held.release();
    assertEquals(readLock(file).command, "the new owner");

    // Same pid number, but another machine: not ours either.
    fs.rmSync(file);
    held = acquireLock(file, "me");
    writeLock(file, { pid: process.pid, host: "other-host" });
    held.release();
    assertEquals(readLock(file).host, "other-host");

    fs.rmSync(file);
    held = acquireLock(file, "me");
    held.release();
    held.release();
    assert(!fs.existsSync(file));
  });
});

/** Children that acquire on command, so a round costs no process start. */
function startRacers(n: number) {
  const racers = [];
  for (let i = 0; i < n; i++) {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", FIXTURES + "store_lock_child.ts", "serve"],
      cwd: REPO,
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    racers.push({
      child,
      lines: new LineReader(child.stdout),
      writer: child.stdin.getWriter(),
    });
  }
  return racers;
}

async function race(racerCount: number, rounds: number): Promise<void> {
  await withTempDir(async (dir) => {
    const file = path.join(dir, "run.lock");
    const dead = await deadPid();
    const racers = startRacers(racerCount);
    const send = (r: (typeof racers)[number], line: string) =>
      r.writer.write(new TextEncoder().encode(line + "\n"));
    try {
      for (let round = 0; round < rounds; round++) {
        // Alternate the two kinds of stale lock.
        if (round % 2 === 0) writeLock(file, { pid: dead });
        else {
          writeLock(file, {
            pid: dead,
            host: "gone-host",
            heartbeatAt: secondsAgo(120),
          });
        }
        // Leave the first round time for the children to start.
        const at = Date.now() + (round === 0 ? 1500 : 40);
        await Promise.all(racers.map((r) => send(r, `go ${file} ${at}`)));
        const results = await Promise.all(
          racers.map(async (r) => JSON.parse((await r.lines.next())!)),
        );
        const winners = results.filter((r) => r.ok);
        assertEquals(
          winners.length,
          1,
          `round ${round}: ${JSON.stringify(results)}`,
        );
        for (const loser of results.filter((r) => !r.ok)) {
          assertEquals(loser.code, 3, `round ${round}: ${loser.message}`);
        }
        assertEquals(readLock(file).pid, winners[0].pid);
        await Promise.all(racers.map((r) => send(r, "release")));
        for (const r of racers) assertEquals(await r.lines.next(), "released");
        assert(!fs.existsSync(file), `round ${round}: lock left behind`);
        assert(
          !fs.existsSync(file + ".takeover"),
          `round ${round}: guard left`,
        );
      }
    } finally {
      for (const r of racers) await r.writer.close().catch(() => {});
      for (const r of racers) {
        while (await r.lines.next() !== null) { /* drain */ }
        await r.child.status;
      }
    }
  });
}

Deno.test("two processes racing to take over the same stale lock: exactly one wins, 20 times", async () => {
  await race(2, 20);
});

Deno.test("four processes racing for a stale lock: still exactly one wins", async () => {
  await race(4, 20);
});

Deno.test("a takeover guard left by a process killed mid-takeover delays taking the stale lock only briefly", async () => {
  await withTempDir(async (dir) => {
    const file = path.join(dir, "run.lock");
    const pid = await deadPid();
    writeLock(file, { pid, heartbeatAt: new Date().toISOString() });
    // The guard of a takeover that was SIGKILLed a moment ago.
    fs.writeFileSync(file + ".takeover", String(pid));
    const started = Date.now();
    const held = acquireLock(file, "taker");
    try {
      assertEquals(readLock(file).pid, process.pid);
      assert(Date.now() - started < 5_000, "taken within the wait");
      assert(!fs.existsSync(file + ".takeover"));
    } finally {
      held.release();
    }
  });
});
