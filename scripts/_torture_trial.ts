/**
 * One torture trial (see scripts/torture.ts): a real maos runs a real plan
 * (shell and sim agents), is killed with SIGKILL at a random moment of its
 * lifecycle, and resumed until the orchestration completes; then the
 * invariants of scripts/_torture_checks.ts are checked.
 *
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import process from "node:process";
import {
  checkFilesAfterKill,
  checkFilesFinal,
  gitInitTrial,
  WORK_LINE,
} from "./_torture_files.ts";
import {
  checkAfterKill,
  checkFinal,
  type KillSnapshot,
  whatWentWrong,
} from "./_torture_checks.ts";

/** How maos is started: `deno run -A main.ts` or a compiled binary. */
export type MaosCommand = string[];

export interface TrialOptions {
  index: number;
  seed: number;
  maos: MaosCommand;
  /** Parent of the trial's project folder. */
  root: string;
  /** Keep the folder even when the trial passes. */
  keep: boolean;
  /** How long an undisturbed run takes (start to exit): kill times scale with it. */
  typicalMs: number;
  /** How many runs to disturb (default: 1–3, at random). */
  disruptions?: number;
}

export interface KillRecord {
  mode: string;
  /** What the process was doing, as far as the log shows (last event type). */
  lastEvent: string;
  /** The command that was killed (orchestrate / resume). */
  command: string;
}

export interface TrialResult {
  index: number;
  ok: boolean;
  failures: string[];
  kills: KillRecord[];
  invocations: number;
  /** Wall time of each maos run (orchestrate or resume). */
  runMs: number[];
  /** Runs that paused cleanly on SIGINT (exit 130) and were resumed. */
  pauses: number;
  durationMs: number;
  /** The trial's folder, when kept (always kept on failure). */
  dir?: string;
}

const ID_CHARS = "0123456789abcdef";
const REQUEST = "Torture test: survive kill -9 anywhere";
/** Tokens each shell task prints as discoveries. */
export const TOKENS_PER_RUN = 3;

/** A small deterministic random source (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A shell task: prints discoveries with tokens unique to this run (and only
 * then notes them in `printed`), sends one message through the inbox with
 * `maos message send` (noted in `sent` once the command succeeded, i.e. maos
 * acknowledged it), and marks its start and its end.
 */
function shellScript(sleep: string): string {
  return [
    `run="$MAOS_TASK_ID.$$.$(date +%s%N)"`,
    `echo "$run" >> "$TORTURE_DIR/start-$MAOS_TASK_ID"`,
    `i=1`,
    `while [ $i -le ${TOKENS_PER_RUN} ]; do`,
    WORK_LINE,
    `  echo "::maos::discovery:: tok:$run:$i"`,
    `  echo "tok:$run:$i" >> "$TORTURE_DIR/printed"`,
    `  sleep ${sleep}`,
    `  i=$((i+1))`,
    `done`,
    `if $TORTURE_MAOS message send --type info "sent:$run" >/dev/null 2>&1; then`,
    `  echo "sent:$run" >> "$TORTURE_DIR/sent"`,
    `fi`,
    `echo "::maos::progress:: 90"`,
    `echo "$run" >> "$TORTURE_DIR/end-$MAOS_TASK_ID"`,
  ].join("\n") + "\n";
}

/** Two levels of shell and sim tasks, so kills land in every phase. */
export function torturePlan() {
  return {
    agents: [
      { id: "worker-001", role: "worker", driver: "shell" },
      { id: "worker-002", role: "worker", driver: "shell" },
      { id: "sim-001", role: "simulator", driver: "sim" },
      { id: "lead-001", role: "lead", driver: "shell" },
    ],
    tasks: [
      {
        id: "t1",
        agent: "worker-001",
        title: "First part",
        run: shellScript("0.05"),
      },
      {
        id: "t2",
        agent: "worker-002",
        title: "Second part",
        run: shellScript("0.08"),
      },
      { id: "s1", agent: "sim-001", title: "Simulated review" },
      {
        id: "t3",
        agent: "worker-001",
        title: "Join the parts",
        dependsOn: ["t1", "s1"],
        run: shellScript("0.03"),
      },
      {
        id: "s2",
        agent: "sim-001",
        title: "Simulated check",
        dependsOn: ["t2"],
      },
      {
        id: "t4",
        agent: "lead-001",
        title: "Wrap up",
        dependsOn: ["t3", "s2"],
        run: shellScript("0.02"),
      },
    ],
  };
}

type KillPlan =
  | { mode: "early" | "random"; delayMs: number }
  | { mode: "event"; type: string; nth: number; jitterMs: number }
  | { mode: "tmpfile" }
  | {
    mode: "pause";
    delayMs: number;
    /** Kill this long after the SIGINT, or (null) when the log says paused. */
    killAfterMs: number | null;
  }
  | { mode: "pause-clean"; delayMs: number };

const EVENT_TARGETS = [
  "orchestration.started",
  "orchestration.resumed",
  "task.status",
  "message",
  "checkpoint.created",
  "task.progress",
  "agent.session",
];

function pickKill(rand: () => number, typicalMs: number): KillPlan {
  const r = rand();
  // "early": while it starts, plans, creates or loads the orchestration.
  if (r < 0.15) return { mode: "early", delayMs: rand() * typicalMs * 0.35 };
  if (r < 0.4) return { mode: "random", delayMs: rand() * typicalMs * 1.1 };
  if (r < 0.65) {
    return {
      mode: "event",
      type: EVENT_TARGETS[Math.floor(rand() * EVENT_TARGETS.length)],
      nth: 1 + Math.floor(rand() * 3),
      jitterMs: rand() < 0.5 ? 0 : rand() * 20,
    };
  }
  if (r < 0.75) return { mode: "tmpfile" };
  // A pause takes tens of milliseconds: the SIGKILL must come quickly to
  // land inside it, or right when the log records it.
  if (r < 0.92) {
    return {
      mode: "pause",
      delayMs: typicalMs * (0.2 + rand() * 0.7),
      killAfterMs: rand() < 0.5 ? rand() * 60 : null,
    };
  }
  return { mode: "pause-clean", delayMs: typicalMs * (0.2 + rand() * 0.7) };
}

function describe(plan: KillPlan): string {
  switch (plan.mode) {
    case "event":
      return `event:${plan.type}#${plan.nth}`;
    case "pause":
      return plan.killAfterMs === null ? "pause:on-paused" : "pause";
    default:
      return plan.mode;
  }
}

/** Run one trial to completion (or to the first broken invariant). */
export async function runTrial(options: TrialOptions): Promise<TrialResult> {
  const started = performance.now();
  const rand = random(options.seed * 1_000_003 + options.index);
  const dir = fs.mkdtempSync(
    path.join(options.root, `trial-${options.index}-`),
  );
  const id = Array.from({ length: 12 }, () => ID_CHARS[Math.floor(rand() * 16)])
    .join("");
  const token = `${process.pid}-${options.index}-${id}`;
  const maosDir = path.join(dir, ".maos");
  const planFile = path.join(dir, "plan.json");
  fs.writeFileSync(planFile, JSON.stringify(torturePlan(), null, 2) + "\n");
  // A git repository: every agent works (and is saved) in its own worktree.
  gitInitTrial(dir);
  const env = trialEnv(options, { dir, maosDir, id, token, rand });
  const events = path.join(maosDir, "orchestrations", id, "events.jsonl");
  const kills: KillRecord[] = [];
  const snapshots: KillSnapshot[] = [];
  const failures: string[] = [];
  const disruptions = options.disruptions ?? 1 + Math.floor(rand() * 3);
  const runMs: number[] = [];
  let pauses = 0;
  let invocation = 0;
  let completed = false;

  const maos = (args: string[], log: string) =>
    runMaos(options.maos, args, { cwd: dir, env, log: path.join(dir, log) });

  // A broken invariant after a kill is recorded and the trial goes on (resume
  // must cope too); an unexpected exit of maos ends it.
  while (!completed) {
    if (invocation > disruptions + 4) {
      failures.push(`not completed after ${invocation} invocations`);
      break;
    }
    const resuming = fileSize(events) > 0;
    const args = resuming ? ["orchestration", "resume", id] : [
      "orchestrate",
      REQUEST,
      "--plan",
      planFile,
      "--driver",
      "shell",
      "--max-parallel",
      "3",
      "--save-interval",
      "1",
    ];
    const plan = invocation < disruptions
      ? pickKill(rand, options.typicalMs)
      : null;
    const log = `invocation-${invocation}.log`;
    const runStarted = performance.now();
    const outcome = await maos(args, log).run(plan, events, maosDir);
    runMs.push(Math.round(performance.now() - runStarted));
    invocation++;
    // Killed, or stopped by a SIGINT that came before maos handled signals
    // (as a Ctrl-C while it starts): a crash either way.
    if (outcome.signal !== null) {
      const bytes = readWholeLines(events);
      kills.push({
        mode: plan
          ? describe(plan) +
            (outcome.signal === "SIGKILL" ? "" : `:${outcome.signal}`)
          : "?",
        lastEvent: lastEventType(bytes),
        command: args[0] === "orchestrate" ? "orchestrate" : "resume",
      });
      snapshots.push({ afterKill: kills.length, log: bytes });
      failures.push(
        ...(await checkAfterKill({
          token,
          maosDir,
          runMaos: (a) => maos(a, `doctor-${kills.length}.log`).capture(),
        })).map((f) => `after kill ${kills.length} (${describe(plan!)}): ${f}`),
        ...checkFilesAfterKill(dir, events).map((f) =>
          `after kill ${kills.length} (${describe(plan!)}): ${f}`
        ),
      );
      continue;
    }
    if (outcome.code === 130) {
      pauses++; // paused cleanly: resume next
      continue;
    }
    if (outcome.code === 0) {
      completed = true;
      break;
    }
    failures.push(
      `${args.slice(0, 2).join(" ")} exited ${
        outcome.code ?? outcome.signal
      }: ${tail(path.join(dir, log))}`,
    );
    break;
  }

  if (completed) {
    failures.push(
      ...(await checkFinal({
        id,
        dir,
        events,
        token,
        plan: torturePlan(),
        snapshots,
        runMaos: (a) => maos(a, "final.log").capture(),
      })),
      ...checkFilesFinal({
        dir,
        id,
        plan: torturePlan(),
        tokensPerRun: TOKENS_PER_RUN,
      }),
    );
  }
  const ok = failures.length === 0;
  const keep = options.keep || !ok;
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  return {
    index: options.index,
    ok,
    failures,
    kills,
    invocations: invocation,
    runMs,
    pauses,
    durationMs: Math.round(performance.now() - started),
    ...(keep ? { dir } : {}),
  };
}

function trialEnv(
  options: TrialOptions,
  t: {
    dir: string;
    maosDir: string;
    id: string;
    token: string;
    rand: () => number;
  },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith("MAOS_")) env[k] = v;
  }
  return {
    ...env,
    NO_COLOR: "1",
    MAOS_DEBUG: "1",
    MAOS_DIR: t.maosDir,
    MAOS_NEW_ORCHESTRATION_ID: t.id,
    MAOS_SIM_SPEED: "0.15",
    MAOS_SIM_SEED: String(Math.floor(t.rand() * 1e9)),
    // Every process started for this trial inherits it: how leftovers are found.
    TORTURE_TRIAL: t.token,
    TORTURE_DIR: t.dir,
    TORTURE_MAOS: options.maos.map(shellQuote).join(" "),
  };
}

interface Outcome {
  code: number | null;
  signal: string | null;
}

function runMaos(
  maos: MaosCommand,
  args: string[],
  how: { cwd: string; env: Record<string, string>; log: string },
) {
  const start = () => {
    const out = fs.openSync(how.log, "a");
    const child = spawn(maos[0], [...maos.slice(1), ...args], {
      cwd: how.cwd,
      env: how.env,
      stdio: ["ignore", out, out],
      detached: true, // its own group: only what we send reaches it
    });
    fs.closeSync(out);
    const exited = new Promise<Outcome>((resolve) => {
      child.on("exit", (code, signal) => resolve({ code, signal }));
      child.on("error", () => resolve({ code: 127, signal: null }));
    });
    return { child, exited };
  };
  return {
    /** Run, disturbed as `plan` says (or not at all). */
    async run(
      plan: KillPlan | null,
      events: string,
      maosDir: string,
    ): Promise<Outcome> {
      const { child, exited } = start();
      let done = false;
      exited.then(() => (done = true));
      const signal = (sig: NodeJS.Signals) => {
        if (!done && child.pid) {
          try {
            process.kill(child.pid, sig);
          } catch { /* just exited */ }
        }
      };
      const kill = () => signal("SIGKILL");
      if (plan) {
        void disturb(plan, {
          signal,
          kill,
          isDone: () => done,
          events,
          maosDir,
        });
      }
      return await exited;
    },
    /** Run undisturbed; exit code and output. */
    async capture(): Promise<{ code: number | null; output: string }> {
      const from = fileSize(how.log);
      const { exited } = start();
      const { code } = await exited;
      const output = fs.readFileSync(how.log).subarray(from);
      return { code, output: new TextDecoder().decode(output) };
    },
  };
}

async function disturb(
  plan: KillPlan,
  p: {
    signal: (sig: NodeJS.Signals) => void;
    kill: () => void;
    isDone: () => boolean;
    events: string;
    maosDir: string;
  },
): Promise<void> {
  switch (plan.mode) {
    case "early":
    case "random":
      await sleep(plan.delayMs);
      return p.kill();
    case "pause":
      await sleep(plan.delayMs);
      p.signal("SIGINT");
      if (plan.killAfterMs !== null) await sleep(plan.killAfterMs);
      else {
        await waitForLine(
          p.events,
          (line) =>
            line.includes(`"status":"paused"`) ||
            line.includes(`"type":"orchestration.paused"`),
          p.isDone,
        );
      }
      return p.kill();
    case "pause-clean":
      await sleep(plan.delayMs);
      return p.signal("SIGINT");
    case "tmpfile": {
      // Kill while a snapshot or checkpoint is being written (a temp file exists).
      const dirs = [
        path.join(p.maosDir, "orchestrations"),
        path.join(p.maosDir, "checkpoints"),
      ];
      const deadline = Date.now() + 6000;
      while (!p.isDone() && Date.now() < deadline) {
        if (dirs.some(hasTempFile)) return p.kill();
        await sleep(0.5);
      }
      return p.kill();
    }
    case "event": {
      let seen = 0;
      const found = await waitForLine(
        p.events,
        (line) => line.includes(`"type":"${plan.type}"`) && ++seen >= plan.nth,
        p.isDone,
      );
      if (found && plan.jitterMs > 0) await sleep(plan.jitterMs);
      return p.kill();
    }
  }
}

/** Poll the log for a new line that `matches`; false when the run ended first. */
async function waitForLine(
  events: string,
  matches: (line: string) => boolean,
  isDone: () => boolean,
): Promise<boolean> {
  let offset = fileSize(events);
  let carry = "";
  const deadline = Date.now() + 8000;
  while (!isDone() && Date.now() < deadline) {
    const size = fileSize(events);
    if (size > offset) {
      const text = carry + readRange(events, offset, size);
      offset = size;
      const lines = text.split("\n");
      carry = lines.pop() ?? "";
      if (lines.some(matches)) return true;
    }
    await sleep(1);
  }
  return false;
}

function hasTempFile(dir: string): boolean {
  try {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.endsWith(".tmp")) return true;
      if (entry.isDirectory()) {
        for (const name of fs.readdirSync(path.join(dir, entry.name))) {
          if (name.endsWith(".tmp")) return true;
        }
      }
    }
  } catch { /* not there yet */ }
  return false;
}

/** The log up to its last newline: what was acknowledged when maos died. */
function readWholeLines(file: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return new Uint8Array(0);
  }
  return bytes.subarray(0, bytes.lastIndexOf(0x0a) + 1);
}

function lastEventType(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes.subarray(-4096));
  const lines = text.trimEnd().split("\n");
  return /"type":"([^"]+)"/.exec(lines[lines.length - 1] ?? "")?.[1] ??
    "(none)";
}

function readRange(file: string, from: number, to: number): string {
  const fd = fs.openSync(file, "r");
  try {
    const buf = new Uint8Array(to - from);
    fs.readSync(fd, buf, 0, buf.length, from);
    return new TextDecoder().decode(buf);
  } finally {
    fs.closeSync(fd);
  }
}

export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** What maos said went wrong (its `maos: …` line), else the last lines. */
function tail(file: string): string {
  try {
    return whatWentWrong(fs.readFileSync(file, "utf8"));
  } catch {
    return "(no output)";
  }
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `deno run -A main.ts` from this repository, or $MAOS_BIN. */
export function maosCommand(): MaosCommand {
  const bin = process.env.MAOS_BIN;
  if (bin) return [path.resolve(bin)];
  const main = path.resolve(import.meta.dirname ?? ".", "..", "main.ts");
  return [process.execPath, "run", "-A", main];
}

/** Make sure npm dependencies are installed before timing-sensitive runs. */
export function warmUp(maos: MaosCommand): void {
  spawnSync(maos[0], [...maos.slice(1), "--version"], { stdio: "ignore" });
}
