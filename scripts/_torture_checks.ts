/**
 * The invariants a torture trial checks (see scripts/torture.ts), after each
 * kill and once the orchestration has completed. Each returns the broken
 * ones as sentences; an empty list means all held.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import process from "node:process";

/** The log as it was right after a kill: whole lines only. */
export interface KillSnapshot {
  afterKill: number;
  log: Uint8Array;
}

type RunMaos = (
  args: string[],
) => Promise<{ code: number | null; output: string }>;

/** How long agent processes may outlive a killed maos (DESIGN.md §3 Crash). */
const ORPHAN_GRACE_MS = 5000;

/**
 * Right after a kill: no process started for the trial (agents, their
 * children, the watchdog) is alive 5 s later, and `maos doctor` finds every
 * file readable (exit 0; a torn tail or stale lock is only a warning).
 */
export async function checkAfterKill(
  p: { token: string; maosDir: string; runMaos: RunMaos },
): Promise<string[]> {
  const failures: string[] = [];
  const deadline = Date.now() + ORPHAN_GRACE_MS;
  let alive = processesWith(p.token);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    alive = processesWith(p.token);
  }
  if (alive.length > 0) {
    failures.push(
      `${alive.length} process(es) still alive ${
        ORPHAN_GRACE_MS / 1000
      } s after the kill: ${
        alive.map((a) => `${a.pid} ${a.command}`).join("; ")
      }`,
    );
    for (const { pid } of alive) {
      try {
        process.kill(pid, "SIGKILL");
      } catch { /* gone */ }
    }
  }
  // Killed before it wrote anything in .maos/: nothing on disk to check.
  if (!fs.existsSync(p.maosDir) || fs.readdirSync(p.maosDir).length === 0) {
    return failures;
  }
  const doctor = await p.runMaos(["doctor", "--json"]);
  if (doctor.code !== 0) {
    failures.push(
      `maos doctor exited ${doctor.code}: ${errorsOf(doctor.output)}`,
    );
  }
  return failures;
}

interface PlanLike {
  tasks: { id: string; agent: string; run?: string }[];
}

/**
 * After completion:
 * - `status --json` says completed, every task completed;
 * - `maos doctor` exits 0;
 * - every line parses and seq is 1, 2, 3 … without gaps;
 * - the log at every kill is a prefix of the final log: nothing that was
 *   persisted (acknowledged) was lost or rewritten;
 * - no message token appears twice (no double delivery, no double ingest);
 * - every message whose `maos message send` succeeded is in the log;
 * - a completed task is completed once and never started again, and no run
 *   of a task happened without a `running` event before it;
 * - every token printed by the run that completed a task is in the log;
 * - no process of the trial is left.
 */
export async function checkFinal(p: {
  id: string;
  dir: string;
  events: string;
  token: string;
  plan: PlanLike;
  snapshots: KillSnapshot[];
  runMaos: RunMaos;
}): Promise<string[]> {
  const failures: string[] = [];
  const status = await p.runMaos(["orchestration", "status", p.id, "--json"]);
  try {
    const parsed = JSON.parse(jsonPart(status.output));
    if (parsed.status !== "completed") {
      failures.push(`final status is ${parsed.status}, not completed`);
    }
    const notDone = (parsed.tasks as { id: string; status: string }[])
      .filter((t) => t.status !== "completed");
    if (notDone.length) {
      failures.push(
        `tasks not completed: ${
          notDone.map((t) => `${t.id}=${t.status}`).join(", ")
        }`,
      );
    }
  } catch {
    failures.push(
      `status --json exited ${status.code}: ${status.output.slice(0, 300)}`,
    );
  }
  const doctor = await p.runMaos(["doctor", "--json"]);
  if (doctor.code !== 0) {
    failures.push(
      `final maos doctor exited ${doctor.code}: ${errorsOf(doctor.output)}`,
    );
  }

  const bytes = fs.readFileSync(p.events);
  const text = new TextDecoder().decode(bytes);
  if (!text.endsWith("\n")) failures.push("the final log ends in a torn line");
  const events: Record<string, unknown>[] = [];
  text.split("\n").slice(0, -1).forEach((line, i) => {
    try {
      const event = JSON.parse(line);
      if (event.seq !== i + 1) {
        failures.push(`line ${i + 1} holds seq ${event.seq}`);
      }
      events.push(event);
    } catch {
      failures.push(`line ${i + 1} does not parse`);
    }
  });

  for (const snapshot of p.snapshots) {
    const prefix = snapshot.log;
    const same = prefix.length <= bytes.length &&
      prefix.every((b, i) => bytes[i] === b);
    if (!same) {
      failures.push(
        `the log at kill ${snapshot.afterKill} (${prefix.length} bytes) is not a prefix of the final log: persisted events were lost or rewritten`,
      );
    }
  }

  // Messages: tokens are unique per task run, so any repeat is a duplicate.
  const contents = new Map<string, number>();
  for (const e of events) {
    if (e.type !== "message") continue;
    const content = String(e.content);
    if (!/^(tok|sent):/.test(content)) continue;
    contents.set(content, (contents.get(content) ?? 0) + 1);
  }
  const duplicated = [...contents].filter(([, n]) => n > 1);
  if (duplicated.length) {
    failures.push(
      `duplicated messages: ${
        duplicated.slice(0, 5).map(([c, n]) => `${c} ×${n}`).join(", ")
      }`,
    );
  }
  const sent = readLines(path.join(p.dir, "sent"));
  const lostSent = sent.filter((s) => !contents.has(s));
  if (lostSent.length) {
    failures.push(
      `acknowledged \`maos message send\` messages missing from the log: ${
        lostSent.slice(0, 5).join(", ")
      }`,
    );
  }

  const printed = readLines(path.join(p.dir, "printed"));
  for (const task of p.plan.tasks) {
    const statuses = events
      .filter((e) => e.type === "task.status" && e.task === task.id)
      .map((e) => String(e.status));
    const completedAt = statuses.indexOf("completed");
    const completions = statuses.filter((s) => s === "completed").length;
    if (completions !== 1) {
      failures.push(`task ${task.id} completed ${completions} times`);
    }
    if (
      completedAt >= 0 && statuses.slice(completedAt + 1).includes("running")
    ) {
      failures.push(`task ${task.id} ran again after it completed`);
    }
    if (!task.run) continue;
    const starts = readLines(path.join(p.dir, `start-${task.id}`));
    const ends = readLines(path.join(p.dir, `end-${task.id}`));
    const runningEvents = statuses.filter((s) => s === "running").length;
    if (starts.length > runningEvents) {
      failures.push(
        `task ${task.id} started ${starts.length} times but the log records ${runningEvents} starts`,
      );
    }
    const finisher = ends[ends.length - 1];
    if (!finisher) {
      failures.push(`task ${task.id} is completed but no run of it finished`);
      continue;
    }
    const missing = printed.filter((t) => t.startsWith(`tok:${finisher}:`))
      .filter((t) => !contents.has(t));
    if (missing.length) {
      failures.push(
        `task ${task.id}: tokens of the run that completed it are missing from the log: ${
          missing.join(", ")
        }`,
      );
    }
  }

  const left = processesWith(p.token);
  if (left.length) {
    failures.push(
      `${left.length} process(es) left after completion: ${
        left.map((a) => a.command).join("; ")
      }`,
    );
    for (const { pid } of left) {
      try {
        process.kill(pid, "SIGKILL");
      } catch { /* gone */ }
    }
  }
  return failures;
}

/** Live processes whose environment holds TORTURE_TRIAL=<token> (Linux /proc). */
export function processesWith(
  token: string,
): { pid: number; command: string }[] {
  const needle = new TextEncoder().encode(`TORTURE_TRIAL=${token}\0`);
  const found: { pid: number; command: string }[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = fs.readFileSync(`/proc/${entry}/environ`);
      if (!includes(environ, needle)) continue;
      const state = /^State:\s+(\S)/m.exec(
        fs.readFileSync(`/proc/${entry}/status`, "utf8"),
      )?.[1];
      if (state === "Z") continue; // a zombie runs nothing
      const command = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8")
        .replaceAll("\0", " ").trim().slice(0, 120);
      found.push({ pid: Number(entry), command });
    } catch { /* gone, or not ours to read */ }
  }
  return found;
}

function includes(haystack: Uint8Array, needle: Uint8Array): boolean {
  const first = needle[0];
  for (
    let i = haystack.indexOf(first);
    i >= 0 && i <= haystack.length - needle.length;
    i = haystack.indexOf(first, i + 1)
  ) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return true;
  }
  return false;
}

function readLines(file: string): string[] {
  try {
    return fs.readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
  } catch {
    return [];
  }
}

/** The JSON document in a command's output (its stderr is in the same log). */
function jsonPart(output: string): string {
  const lines = output.split("\n");
  const start = lines.findIndex((l) => l === "{" || l === "[");
  const end = lines.findLastIndex((l) => l === "}" || l === "]");
  return start < 0 || end < start
    ? output
    : lines.slice(start, end + 1).join("\n");
}

function errorsOf(output: string): string {
  try {
    const report = JSON.parse(jsonPart(output)) as {
      findings: { level: string; file: string; message: string }[];
    };
    return report.findings.filter((f) => f.level === "error")
      .map((f) => `${f.file}: ${f.message}`).join("; ");
  } catch {
    return whatWentWrong(output);
  }
}

/** What maos said went wrong (its `maos: …` line), else the last lines. */
export function whatWentWrong(output: string): string {
  const lines = output.trimEnd().split("\n");
  const said = lines.filter((l) => l.startsWith("maos:"));
  return (said.length ? said : lines.slice(-3)).join(" | ");
}
