/**
 * Helpers shared by the store tests (not part of the program): assertions
 * (JSR's @std/assert is unreachable here, so node:assert does the work),
 * temp directories, event builders and child processes.
 */
import nodeAssert from "node:assert/strict";
import * as fs from "node:fs";
import { MaosError } from "./errors.ts";
import { LOG_START, scanLog } from "./event_log.ts";
import type { MaosEvent, NewEvent, OrchestrationState } from "./schema.ts";
import { foldEvent } from "../lib/queries/state_fold.ts";

/** The repository root: children run from here so they find deno.json. */
export const REPO = new URL("../", import.meta.url).pathname;
/** Absolute path of tests/fixtures/. */
export const FIXTURES = new URL("../tests/fixtures/", import.meta.url)
  .pathname;

export function assert(cond: unknown, msg?: string): asserts cond {
  nodeAssert.ok(cond, msg);
}

export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, msg);
}

export function assertIncludes(actual: string, expected: string): void {
  nodeAssert.ok(
    actual.includes(expected),
    `expected ${JSON.stringify(actual)} to include ${JSON.stringify(expected)}`,
  );
}

/** Runs `fn`, which must throw a MaosError with `code`; returns it. */
export function assertMaosError(
  fn: () => unknown,
  code: number,
  ...includes: string[]
): MaosError {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  return checkMaosError(thrown, code, includes);
}

/** Like assertMaosError, for a promise. */
export async function assertRejectsMaos(
  fn: () => Promise<unknown>,
  code: number,
  ...includes: string[]
): Promise<MaosError> {
  let thrown: unknown;
  try {
    await fn();
  } catch (err) {
    thrown = err;
  }
  return checkMaosError(thrown, code, includes);
}

function checkMaosError(
  thrown: unknown,
  code: number,
  includes: string[],
): MaosError {
  assert(thrown !== undefined, "expected an error, nothing was thrown");
  assert(
    thrown instanceof MaosError,
    `expected a MaosError, got ${String(thrown)}`,
  );
  assertEquals(thrown.code, code, `wrong exit code for: ${thrown.message}`);
  assert(
    !thrown.message.includes("\n"),
    `message is not one line: ${thrown.message}`,
  );
  for (const part of includes) assertIncludes(thrown.message, part);
  return thrown;
}

/** A fresh temp dir for `fn`, removed afterwards. */
export async function withTempDir(
  fn: (dir: string) => Promise<void> | void,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "maos-store-test-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

export const AGENT = "analyst-001";

/** The first event of an orchestration with one agent and one task. */
export function createdEvent(id: string): NewEvent {
  return {
    type: "orchestration.created",
    id,
    request: "Build a thing",
    driver: "sim",
    maxParallel: 2,
    plan: {
      agents: [{ id: AGENT, role: "analyst", driver: "sim", instructions: "" }],
      tasks: [{
        id: "t1",
        agent: AGENT,
        title: "Analyse",
        description: "",
        dependsOn: [],
      }],
    },
  };
}

export function messageEvent(content: string): NewEvent {
  return { type: "message", from: AGENT, to: null, kind: "info", content };
}

/** One raw events.jsonl line (with its newline) for a message event. */
export function messageLine(seq: number, content = `message ${seq}`): string {
  return JSON.stringify({
    seq,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, seq)).toISOString(),
    type: "message",
    from: AGENT,
    to: null,
    kind: "info",
    content,
  }) + "\n";
}

/** Every event of a log, through scanLog from the start. */
export function readAllEvents(path: string): MaosEvent[] {
  const events: MaosEvent[] = [];
  scanLog(path, LOG_START, (event) => events.push(event));
  return events;
}

/** The fold of the whole log (what state.json must equal), or of its first `throughSeq` events. */
export function foldLog(
  path: string,
  throughSeq = Infinity,
): OrchestrationState {
  let state: OrchestrationState | undefined;
  scanLog(path, LOG_START, (event) => {
    if (event.seq <= throughSeq) state = foldEvent(state, event);
  });
  assert(state, `${path} folds to nothing`);
  return state;
}

export function fileBytes(path: string): Uint8Array {
  return fs.readFileSync(path);
}

/** Run a fixture script under `deno run -A` and collect its output. */
export async function runFixture(
  script: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", FIXTURES + script, ...args],
    cwd: REPO,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** The pid of a process that has exited and been reaped: certainly dead. */
export async function deadPid(): Promise<number> {
  const child = new Deno.Command("/bin/sh", {
    args: ["-c", "exit 0"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const pid = child.pid;
  await child.status;
  return pid;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Reads a child's stdout line by line, while it keeps running. */
export class LineReader {
  private reader: ReadableStreamDefaultReader<string>;
  private buffer = "";
  private done = false;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** The next whole line, or null at end of output. */
  async next(): Promise<string | null> {
    while (true) {
      const nl = this.buffer.indexOf("\n");
      if (nl >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        return line;
      }
      if (this.done) {
        const rest = this.buffer;
        this.buffer = "";
        return rest === "" ? null : rest;
      }
      const { value, done } = await this.reader.read();
      if (done) this.done = true;
      else this.buffer += value;
    }
  }
}
