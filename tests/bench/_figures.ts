/**
 * The named figures of `deno task bench:report` (not part of the program):
 * each is a ratio against a bare baseline (or a plain number) with a goal.
 * One "run" of a group measures its figures once, numerator and denominator
 * in the same run, interleaved; the report takes the median of several runs.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readRecentEvents } from "../../store/event_log.ts";
import { Journal, loadOrchestration } from "../../store/journal.ts";
import type { MaosPaths } from "../../store/paths.ts";
import { foldEvent } from "../../lib/queries/state_fold.ts";
import { listOrchestrations } from "../../lib/queries/queries.ts";
import {
  appendRates,
  bareAppender,
  bareAtomicWrite,
  bareReadAndParse,
  eventLogAppender,
  sampleLine,
  sqliteAppender,
} from "./_baselines.ts";
import {
  createdEvent,
  makePlan,
  makeStore,
  writeLongOrchestration,
  writeManyOrchestrations,
} from "./_fixtures.ts";

export interface Goal {
  op: ">=" | "<=";
  value: number;
}

export interface FigureSpec {
  name: string;
  goal: Goal | null;
  unit: string;
  description: string;
}

/** One run of a group: each figure's value, plus the raw parts it came from. */
export type RunResult = Record<
  string,
  { value: number; parts?: Record<string, number> }
>;

export interface Group {
  name: string;
  figures: FigureSpec[];
  run(ctx: BenchContext, index: number): Promise<RunResult>;
}

/** Sizes, so a quick check can use smaller ones than the real report. */
export interface Sizes {
  bigLog: number;
  smallLog: number;
  orchestrations: number;
  /** Rounds of interleaved append blocks, and the block sizes. */
  appendRounds: number;
  strictBlock: number;
  sqliteFullBlock: number;
  batchedBlock: number;
  sqliteNormalBlock: number;
}

export const FULL_SIZES: Sizes = {
  bigLog: 1_000_000,
  smallLog: 1_000,
  orchestrations: 10_000,
  appendRounds: 10,
  strictBlock: 100,
  sqliteFullBlock: 50,
  batchedBlock: 5_000,
  sqliteNormalBlock: 1_000,
};

/** Fixtures built once per report (in one temp dir) and shared by the groups. */
export class BenchContext {
  #logs: Promise<{ paths: MaosPaths; small: string; big: string }> | undefined;
  #many: Promise<MaosPaths> | undefined;
  #binaries: { maos: string; hello: string; note: string } | undefined;

  constructor(
    readonly dir: string,
    readonly sizes: Sizes,
    readonly log: (text: string) => void,
  ) {}

  /** A `.maos/` with the big and the small orchestration (same plan, same tail). */
  logs(): Promise<{ paths: MaosPaths; small: string; big: string }> {
    this.#logs ??= (async () => {
      const paths = await makeStore(path.join(this.dir, "logs"));
      const started = performance.now();
      writeLongOrchestration(paths, "000000001000", this.sizes.smallLog);
      const big = writeLongOrchestration(
        paths,
        "000001000000",
        this.sizes.bigLog,
      );
      this.log(
        `  fixture: ${big.events} events (${
          (big.bytes / 1e6).toFixed(0)
        } MB) in ${seconds(started)} s`,
      );
      return { paths, small: "000000001000", big: "000001000000" };
    })();
    return this.#logs;
  }

  /** A `.maos/` with many small orchestrations. */
  many(): Promise<MaosPaths> {
    this.#many ??= (async () => {
      const paths = await makeStore(path.join(this.dir, "many"));
      const started = performance.now();
      writeManyOrchestrations(paths, this.sizes.orchestrations);
      this.log(
        `  fixture: ${this.sizes.orchestrations} orchestrations in ${
          seconds(started)
        } s`,
      );
      return paths;
    })();
    return this.#many;
  }

  /** How the binaries were got, if a group used them. */
  binariesNote(): string | undefined {
    return this.#binaries?.note;
  }

  /** The compiled maos and a hello world compiled the same way. */
  binaries(): { maos: string; hello: string; note: string } {
    if (this.#binaries) return this.#binaries;
    const dist = path.resolve("dist/maos");
    const flags = compileFlags();
    let maos = dist;
    let note = "dist/maos";
    if (!fs.existsSync(dist) || isStale(dist)) {
      maos = path.join(this.dir, "maos");
      bunCompile(path.resolve("main.ts"), maos, flags);
      note = fs.existsSync(dist)
        ? "built for this report (dist/maos is older than the sources)"
        : "built for this report (no dist/maos)";
    }
    note += `; bun build --compile ${flags.join(" ")}`.trimEnd();
    const helloSource = path.join(this.dir, "hello.ts");
    fs.writeFileSync(helloSource, 'console.log("hello, world");\n');
    const hello = path.join(this.dir, "hello");
    bunCompile(helloSource, hello, flags);
    this.#binaries = { maos, hello, note };
    return this.#binaries;
  }
}

// ------------------------------------------------------------------ groups

const appendStrict: Group = {
  name: "append (strict)",
  figures: [
    {
      name: "append_strict_vs_fdatasync",
      goal: { op: ">=", value: 0.8 },
      unit: "ratio",
      description:
        "events/s, durability strict ÷ bare write + fdatasync of a same-size line",
    },
    {
      name: "append_strict_vs_sqlite_full",
      goal: { op: ">=", value: 1.0 },
      unit: "ratio",
      description:
        "events/s, strict ÷ SQLite (WAL, synchronous=FULL, one insert per transaction)",
    },
  ],
  async run(ctx, index) {
    const { sizes } = ctx;
    const line = sampleLine();
    const file = (name: string) =>
      path.join(ctx.dir, `append-${index}-${name}`);
    const r = await appendRates({
      strict: {
        make: () => eventLogAppender(file("strict"), "strict"),
        block: sizes.strictBlock,
      },
      fdatasync: {
        make: () => bareAppender(file("bare-sync"), line, true),
        block: sizes.strictBlock,
      },
      sqliteFull: {
        make: () => sqliteAppender(file("full.db"), "FULL"),
        block: sizes.sqliteFullBlock,
      },
    }, sizes.appendRounds);
    return {
      append_strict_vs_fdatasync: {
        value: r.strict / r.fdatasync,
        parts: { strict: r.strict, fdatasync: r.fdatasync },
      },
      append_strict_vs_sqlite_full: {
        value: r.strict / r.sqliteFull,
        parts: { strict: r.strict, sqliteFull: r.sqliteFull },
      },
    };
  },
};

const appendBatched: Group = {
  name: "append (batched)",
  figures: [
    {
      name: "append_batched_vs_write",
      goal: { op: ">=", value: 0.5 },
      unit: "ratio",
      description:
        "events/s, durability batched (incl. its group commits; events built beforehand) ÷ bare write of a same-size line, no sync",
    },
    {
      name: "append_batched_vs_sqlite_normal",
      goal: { op: ">=", value: 1.0 },
      unit: "ratio",
      description:
        "events/s, batched ÷ SQLite (WAL, synchronous=NORMAL, one insert per transaction)",
    },
  ],
  async run(ctx, index) {
    const { sizes } = ctx;
    const line = sampleLine();
    const file = (name: string) =>
      path.join(ctx.dir, `append-${index}-${name}`);
    const r = await appendRates({
      batched: {
        make: () => eventLogAppender(file("batched"), "batched"),
        block: sizes.batchedBlock,
      },
      write: {
        make: () => bareAppender(file("bare"), line, false),
        block: sizes.batchedBlock,
      },
      sqliteNormal: {
        make: () => sqliteAppender(file("normal.db"), "NORMAL"),
        block: sizes.sqliteNormalBlock,
      },
    }, sizes.appendRounds);
    return {
      append_batched_vs_write: {
        value: r.batched / r.write,
        parts: { batched: r.batched, write: r.write },
      },
      append_batched_vs_sqlite_normal: {
        value: r.batched / r.sqliteNormal,
        parts: { batched: r.batched, sqliteNormal: r.sqliteNormal },
      },
    };
  },
};

const openAndRecent: Group = {
  name: "open and recent messages",
  figures: [
    {
      name: "open_1m_vs_1k",
      goal: { op: "<=", value: 2.0 },
      unit: "ratio",
      description:
        "time to load an orchestration ready to resume (loadOrchestration), 1,000,000 events ÷ 1,000",
    },
    {
      name: "recent_1m_vs_1k",
      goal: { op: "<=", value: 2.0 },
      unit: "ratio",
      description:
        "time to read the newest 20 messages, 1,000,000 events ÷ 1,000",
    },
  ],
  async run(ctx) {
    const { paths, small, big } = await ctx.logs();
    const open = (id: string) => () => loadOrchestration(paths, id, foldEvent);
    const recent = (id: string) => () =>
      readRecentEvents(paths.events(id), 20, (e) => e.type === "message");
    const reps = 60;
    for (const warm of [open(small), open(big), recent(small), recent(big)]) {
      for (let i = 0; i < 10; i++) warm();
    }
    const openSmall = medianTime(open(small), reps, open(big));
    const openBig = medianTime(open(big), reps, open(small));
    const recentSmall = medianTime(recent(small), reps, recent(big));
    const recentBig = medianTime(recent(big), reps, recent(small));
    return {
      open_1m_vs_1k: {
        value: openBig / openSmall,
        parts: { ms1m: openBig, ms1k: openSmall },
      },
      recent_1m_vs_1k: {
        value: recentBig / recentSmall,
        parts: { ms1m: recentBig, ms1k: recentSmall },
      },
    };
  },
};

const list: Group = {
  name: "list",
  figures: [{
    name: "list_10k_vs_parse",
    goal: { op: "<=", value: 1.5 },
    unit: "ratio",
    description:
      "listOrchestrations over 10,000 orchestrations ÷ a bare loop reading and JSON-parsing the same state files",
  }],
  async run(ctx, index) {
    const paths = await ctx.many();
    const measures = {
      list: () => Promise.resolve(timeOnce(() => listOrchestrations(paths))),
      parse: () =>
        Promise.resolve(
          timeOnce(() => bareReadAndParse(paths.orchestrations)),
        ),
    };
    const r = await interleaved(measures, index);
    return {
      list_10k_vs_parse: {
        value: r.list / r.parse,
        parts: { listMs: r.list, parseMs: r.parse },
      },
    };
  },
};

const snapshot: Group = {
  name: "snapshot",
  figures: [{
    name: "snapshot_vs_atomic_write",
    goal: { op: "<=", value: 1.2 },
    unit: "ratio",
    description:
      "Journal.snapshot (lowdb, durable) of 100 agents and 1,000 tasks, written again unchanged ÷ bare temp+fsync+rename+dir-fsync of the same bytes",
  }, {
    name: "snapshot_10_changed_vs_atomic_write",
    goal: null,
    unit: "ratio",
    description:
      "the same with 10 tasks changed since the last snapshot (as between two auto-saves)",
  }, {
    name: "snapshot_all_new_vs_atomic_write",
    goal: null,
    unit: "ratio",
    description:
      "the same with every agent and task a new object (the first snapshot after loading)",
  }],
  async run(ctx, index) {
    const paths = await makeStore(path.join(ctx.dir, `snapshot-${index}`));
    const id = "5a5a5a5a5a5a";
    const journal = await Journal.create(
      paths,
      id,
      createdEvent(id, makePlan(100, 1000)),
      foldEvent,
      "batched",
      "bench",
    );
    try {
      const bytes = fs.readFileSync(paths.state(id));
      const bareTarget = path.join(paths.orchestration(id), "bare.json");
      const tasks = journal.state.tasks.map((t) => t.id);
      let seq = journal.state.lastSeq;
      // State changes go through the fold (copy on write), not the log, so
      // only the snapshot is timed, not a log sync before it.
      const change = (n: number) => {
        for (let k = 0; k < n; k++) {
          journal.state = foldEvent(journal.state, {
            seq: ++seq,
            at: new Date().toISOString(),
            type: "task.progress",
            task: tasks[(seq * 37) % tasks.length],
            progress: seq % 100,
          });
        }
      };
      const times: Record<string, number[]> = {
        bare: [],
        same: [],
        changed: [],
        allNew: [],
      };
      const kinds = Object.keys(times);
      for (let i = 0; i < 15; i++) {
        // Rotate, so no variant always meets a busier disk.
        for (let k = 0; k < kinds.length; k++) {
          const kind = kinds[(i + k) % kinds.length];
          if (kind === "bare") {
            times.bare.push(timeOnce(() => bareAtomicWrite(bareTarget, bytes)));
            continue;
          }
          if (kind === "changed") change(10); // untimed: the change itself
          if (kind === "allNew") journal.state = structuredClone(journal.state);
          times[kind].push(await timeAsync(() => journal.snapshot()));
        }
      }
      const b = median(times.bare);
      const figure = (key: string) => ({
        value: median(times[key]) / b,
        parts: {
          snapshotMs: median(times[key]),
          bareMs: b,
          bytes: bytes.length,
        },
      });
      return {
        snapshot_vs_atomic_write: figure("same"),
        snapshot_10_changed_vs_atomic_write: figure("changed"),
        snapshot_all_new_vs_atomic_write: figure("allNew"),
      };
    } finally {
      await journal.close();
    }
  },
};

const statusMemory: Group = {
  name: "status memory",
  figures: [{
    name: "status_1m_peak_rss_mb",
    goal: { op: "<=", value: 100 },
    unit: "MB",
    description:
      "peak resident memory (VmHWM) of `maos orchestration status ID --messages` (compiled binary) on the 1,000,000-event orchestration",
  }, {
    name: "status_1m_peak_rss_mb_deno",
    goal: null,
    unit: "MB",
    description: "the same, run from source with `deno run -A main.ts`",
  }],
  async run(ctx) {
    const { paths, big } = await ctx.logs();
    const { maos } = ctx.binaries();
    const args = [
      "--dir",
      paths.root,
      "orchestration",
      "status",
      big,
      "--messages",
    ];
    return {
      status_1m_peak_rss_mb: { value: peakRssMb([maos, ...args]) },
      status_1m_peak_rss_mb_deno: {
        value: peakRssMb([Deno.execPath(), "run", "-A", "main.ts", ...args]),
      },
    };
  },
};

const startup: Group = {
  name: "startup",
  figures: [{
    name: "startup_vs_hello",
    goal: { op: "<=", value: 1.5 },
    unit: "ratio",
    description:
      "`dist/maos --version` wall time ÷ a hello world compiled the same way (bun build --compile)",
  }],
  run(ctx) {
    const { maos, hello } = ctx.binaries();
    const reps = 15;
    const m: number[] = [];
    const h: number[] = [];
    for (let i = 0; i < reps; i++) {
      m.push(wallMs([maos, "--version"]));
      h.push(wallMs([hello]));
    }
    const mm = median(m);
    const hm = median(h);
    return Promise.resolve({
      startup_vs_hello: {
        value: mm / hm,
        parts: { maosMs: mm, helloMs: hm },
      },
    });
  },
};

export const GROUPS: Group[] = [
  appendStrict,
  appendBatched,
  openAndRecent,
  list,
  snapshot,
  statusMemory,
  startup,
];

// ------------------------------------------------------------------ helpers

/** Run each measure once, rotating the order between runs. */
export async function interleaved<K extends string>(
  measures: Record<K, () => Promise<number>>,
  index: number,
): Promise<Record<K, number>> {
  const keys = Object.keys(measures) as K[];
  const order = keys.map((_, i) => keys[(i + index) % keys.length]);
  const out = {} as Record<K, number>;
  for (const key of order) out[key] = await measures[key]();
  return out;
}

/** Median milliseconds of `fn` over `reps` calls, alternating with `other` (untimed). */
function medianTime(fn: () => unknown, reps: number, other: () => unknown) {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    other();
    times.push(timeOnce(fn));
  }
  return median(times);
}

function timeOnce(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function wallMs(argv: string[]): number {
  const start = performance.now();
  const result = spawnSync(argv[0], argv.slice(1), { stdio: "ignore" });
  const ms = performance.now() - start;
  if (result.status !== 0) {
    throw new Error(`${argv.join(" ")} exited ${result.status}`);
  }
  return ms;
}

/**
 * Peak RSS of a child in MB (kB ÷ 1024, as the kernel counts). Uses /usr/bin/time -v when present (the child's ru_maxrss, which is its
 * VmHWM); otherwise polls /proc/<pid>/status while it runs.
 */
export function peakRssMb(argv: string[], cwd?: string): number {
  if (fs.existsSync("/usr/bin/time")) {
    const result = spawnSync("/usr/bin/time", ["-v", ...argv], {
      cwd,
      encoding: "utf8",
      maxBuffer: 64 << 20,
    });
    if (result.status !== 0) {
      throw new Error(
        `${argv.join(" ")} exited ${result.status}: ${result.stderr}`,
      );
    }
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(
      result.stderr,
    );
    if (!match) throw new Error("/usr/bin/time -v printed no maximum RSS");
    return Number(match[1]) / 1024;
  }
  return pollPeakRss(argv, cwd);
}

function pollPeakRss(argv: string[], cwd?: string): number {
  // Without GNU time: a tiny shell wrapper that reads the child's VmHWM
  // while it runs (the last reading before exit is close to the peak).
  const script = `"$@" >/dev/null & pid=$!; peak=0
while kill -0 $pid 2>/dev/null; do
  v=$(awk '/^VmHWM/ {print $2}' /proc/$pid/status 2>/dev/null)
  [ -n "$v" ] && [ "$v" -gt "$peak" ] && peak=$v
  sleep 0.005
done
wait $pid; echo "$peak"`;
  const result = spawnSync("/bin/sh", ["-c", script, "sh", ...argv], {
    cwd,
    encoding: "utf8",
  });
  return Number(result.stdout.trim()) / 1024;
}

/**
 * The options scripts/compile.ts gives `bun build --compile` that change
 * how a program starts, so the hello world is "compiled the same way".
 */
function compileFlags(): string[] {
  let source = "";
  try {
    source = fs.readFileSync("scripts/compile.ts", "utf8");
  } catch { /* no compile script: plain --compile */ }
  return ["--bytecode", "--minify", "--splitting", "--format=esm"].filter((
    flag,
  ) => source.includes(`"${flag}"`));
}

function bunCompile(entry: string, outfile: string, flags: string[]): void {
  const probe = spawnSync("bun", ["--version"], { encoding: "utf8" });
  const bun = probe.status === 0 ? ["bun"] : ["npx", "-y", "bun@1"];
  const result = spawnSync(
    bun[0],
    [
      ...bun.slice(1),
      "build",
      "--compile",
      ...flags,
      entry,
      "--outfile",
      outfile,
    ],
    { encoding: "utf8" },
  );
  if (result.status !== 0) {
    throw new Error(`bun build --compile ${entry} failed: ${result.stderr}`);
  }
}

/** Is `binary` older than any source file it is built from? */
function isStale(binary: string): boolean {
  const built = fs.statSync(binary).mtimeMs;
  const newer = (dir: string): boolean =>
    fs.readdirSync(dir, { withFileTypes: true }).some((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return newer(full);
      return entry.name.endsWith(".ts") && fs.statSync(full).mtimeMs > built;
    });
  return fs.statSync("main.ts").mtimeMs > built || newer("lib") ||
    newer("store");
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

/** What the numbers were measured on. */
export function machine(): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 1e9),
    deno: Deno.version.deno,
    loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
  };
}
