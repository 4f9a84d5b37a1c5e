/**
 * The `sim` driver (DESIGN.md §4): deterministic simulated agents for demos,
 * tests and benchmarks. The same seed and task id give the same events, in
 * the same order; every line says "[simulated]".
 */
import process from "node:process";
import type {
  AgentDriver,
  DriverEvent,
  TaskResult,
  TaskRun,
} from "./driver.ts";

/** Options of the sim driver; each falls back to an env variable, then a default. */
export interface SimDriverOptions {
  /** Seed (default: env MAOS_SIM_SEED, else "maos"); combined with the task id. */
  seed?: string | number;
  /**
   * Multiplies every delay (default: env MAOS_SIM_SPEED, else 1 — about
   * 1–2 s per task). 0 runs instantly.
   */
  speed?: number;
  /** Probability (0–1) that a task fails part-way; default 0. */
  failRate?: number;
}

const STEPS = [
  "reading the relevant files",
  "sketching an approach",
  "making the changes",
  "checking the result",
  "writing up notes",
  "comparing against the request",
];
const FINDINGS = [
  "the configuration is read in two places",
  "a helper already does most of this",
  "the tests do not cover the error path",
  "one dependency is pinned to an old version",
];

/**
 * Simulated agents: a few "[simulated] …" lines, progress 25/50/75/100,
 * sometimes a discovery for the whole team, with small delays; stop and kill
 * end a task at once as "stopped".
 *
 * @example
 * const result = await new SimDriver({ seed: 1, speed: 0 }).run(taskRun);
 */
export class SimDriver implements AgentDriver {
  readonly name = "sim";
  readonly simulated = true;
  readonly #seed: string;
  readonly #speed: number;
  readonly #failRate: number;

  constructor(options: SimDriverOptions = {}) {
    this.#seed = String(options.seed ?? process.env.MAOS_SIM_SEED ?? "maos");
    this.#speed = nonNegative(
      options.speed ?? envNumber("MAOS_SIM_SPEED") ?? 1,
    );
    this.#failRate = Math.min(1, nonNegative(options.failRate ?? 0));
  }

  async run(run: TaskRun): Promise<TaskResult> {
    const { agent, task } = run;
    const rand = mulberry32(fnv1a(`${this.#seed}:${task.id}`));
    const pick = <T>(items: T[]) => items[Math.floor(rand() * items.length)];
    const emit = (e: DriverEvent) => run.emit(e);
    const say = (text: string) =>
      emit({ type: "output", line: `[simulated] ${text}` });
    // Decided up front so a task's story does not depend on timing.
    const failAt = rand() < this.#failRate ? pick([25, 50, 75]) : undefined;
    const discoverAt = rand() < 0.5 ? pick([25, 50, 75]) : undefined;

    if (!run.sessionId) {
      const id = fnv1a(`${this.#seed}:${task.id}:${agent.id}`).toString(16)
        .padStart(8, "0");
      emit({ type: "session", sessionId: `sim-${id}` });
    }
    say(
      run.resumeNote
        ? `${agent.id} continuing "${task.title}" after an interruption`
        : `${agent.id} (${agent.role}) starting "${task.title}"`,
    );
    if (run.extraTask) say(`also asked to: ${run.extraTask}`);
    if (run.inbox.length > 0) {
      say(`read ${run.inbox.length} message(s) from the team`);
    }

    let percent = 0;
    for (const next of [25, 50, 75, 100]) {
      if (!(await this.#pause(200 + rand() * 250, run))) {
        return stopped(percent);
      }
      say(pick(STEPS));
      if (next === failAt) {
        say(`hit a simulated failure at ${percent}%`);
        return {
          status: "failed",
          summary:
            `[simulated] ${task.title}: simulated failure at ${percent}%`,
        };
      }
      percent = next;
      emit({ type: "progress", percent });
      if (next === discoverAt) {
        emit({
          type: "message",
          kind: "discovery",
          to: null,
          content: `[simulated] ${pick(FINDINGS)}`,
        });
      }
    }
    if (!(await this.#pause(100 + rand() * 100, run))) return stopped(percent);
    return { status: "completed", summary: `[simulated] ${task.title}: done` };
  }

  /** Wait `ms` × speed; false when stop or kill arrived first. */
  #pause(ms: number, run: TaskRun): Promise<boolean> {
    const aborted = () => run.stop.aborted || run.kill.aborted;
    if (aborted()) return Promise.resolve(false);
    if (this.#speed === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        run.stop.removeEventListener("abort", onAbort);
        run.kill.removeEventListener("abort", onAbort);
        resolve(ok);
      };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(true), ms * this.#speed);
      run.stop.addEventListener("abort", onAbort);
      run.kill.addEventListener("abort", onAbort);
    });
  }
}

function stopped(percent: number): TaskResult {
  return { status: "stopped", summary: `[simulated] stopped at ${percent}%` };
}

function envNumber(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

function nonNegative(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** 32-bit FNV-1a hash of a string. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small, fast, seeded PRNG giving numbers in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
