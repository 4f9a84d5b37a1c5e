/**
 * `deno task torture [--trials N]`: crash-test maos for real. Each trial runs
 * a plan of shell and sim agents with real maos processes, kills maos with
 * SIGKILL at random moments of its lifecycle (starting and planning,
 * running, auto-save, checkpoint, pause — SIGINT then SIGKILL while it
 * winds down —, resume), resumes it until the orchestration completes, and
 * checks the invariants of scripts/_torture_checks.ts.
 *
 *   deno task torture --trials 20
 *   MAOS_BIN=dist/maos deno task torture --trials 1000 --parallel 2 --out docs/torture-last-run.json
 *
 * maos is `deno run -A main.ts` from this repository, or $MAOS_BIN. Exit
 * code 0 when every trial passed, 1 otherwise (failed trials' folders are kept).
 *
 * @module
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import {
  maosCommand,
  runTrial,
  type TrialResult,
  warmUp,
} from "./_torture_trial.ts";

const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  options: {
    trials: { type: "string", default: "20" },
    parallel: { type: "string", default: "1" },
    seed: { type: "string" },
    out: { type: "string" },
    keep: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (flags.help) {
  console.log(
    "usage: deno task torture [--trials N] [--parallel P] [--seed S] [--out FILE] [--keep] [--quiet]",
  );
  process.exit(0);
}
const trials = wholeNumber("trials", flags.trials);
const parallel = wholeNumber("parallel", flags.parallel);
const seed = flags.seed === undefined
  ? Math.floor(Math.random() * 1e9)
  : wholeNumber("seed", flags.seed);
const maos = maosCommand();
const root = fs.mkdtempSync(path.join(os.tmpdir(), "maos-torture-"));
const say = (line: string) => {
  if (!flags.quiet) console.log(line);
};

warmUp(maos);
// One undisturbed trial first: how long a run takes here sets the kill times.
const calibration = await runTrial({
  index: -1,
  seed,
  maos,
  root,
  keep: false,
  typicalMs: 0,
  disruptions: 0,
});
if (!calibration.ok) {
  console.error(
    `torture: an undisturbed run failed: ${calibration.failures.join("; ")}`,
  );
  console.error(`kept: ${calibration.dir}`);
  process.exit(1);
}
const typicalMs = calibration.runMs[0];
say(
  `torture: ${trials} trials, ${parallel} at a time, seed ${seed}, a run takes ~${typicalMs} ms, maos = ${
    maos.join(" ")
  }`,
);
const started = Date.now();
const results: TrialResult[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(parallel, trials) }, async () => {
    while (next < trials) {
      const index = next++;
      const result = await runTrial({
        index,
        seed,
        maos,
        root,
        keep: flags.keep,
        typicalMs,
      });
      results.push(result);
      const kills = result.kills.map((k) => k.mode).join(", ") || "none";
      say(
        `trial ${index + 1}/${trials} ${result.ok ? "ok" : "FAILED"} ` +
          `(${result.kills.length} kill(s): ${kills}; ${result.invocations} runs; ${
            (result.durationMs / 1000).toFixed(1)
          } s)`,
      );
      for (const failure of result.failures) say(`  ✗ ${failure}`);
      if (!result.ok) say(`  kept: ${result.dir}`);
    }
  }),
);
results.sort((a, b) => a.index - b.index);
const failed = results.filter((r) => !r.ok);
const killModes: Record<string, number> = {};
for (const r of results) {
  for (const k of r.kills) {
    const mode = k.mode.split("#")[0];
    killModes[mode] = (killModes[mode] ?? 0) + 1;
  }
}
const lastEvents: Record<string, number> = {};
const commands: Record<string, number> = {};
for (const r of results) {
  for (const k of r.kills) {
    lastEvents[k.lastEvent] = (lastEvents[k.lastEvent] ?? 0) + 1;
    commands[k.command] = (commands[k.command] ?? 0) + 1;
  }
}
const summary = {
  finishedAt: new Date().toISOString(),
  trials: results.length,
  passed: results.length - failed.length,
  failures: failed.length,
  durationSeconds: Math.round((Date.now() - started) / 1000),
  seed,
  parallel,
  typicalRunMs: typicalMs,
  maos: maos.map((part) => path.relative(process.cwd(), part) || part).join(
    " ",
  ),
  machine: {
    os: `${os.type()} ${os.release()}`,
    cpus: os.cpus().length,
  },
  kills: results.reduce((n, r) => n + r.kills.length, 0),
  killsByMode: killModes,
  killsByCommand: commands,
  killsByLastEvent: lastEvents,
  invocations: results.reduce((n, r) => n + r.invocations, 0),
  cleanPauses: results.reduce((n, r) => n + r.pauses, 0),
  failureKinds: failureKinds(failed),
  failedTrials: failed.slice(0, 100).map((r) => ({
    trial: r.index,
    failures: r.failures,
    kills: r.kills,
    dir: r.dir,
  })),
};
if (flags.out) {
  fs.mkdirSync(path.dirname(path.resolve(flags.out)), { recursive: true });
  fs.writeFileSync(flags.out, JSON.stringify(summary, null, 2) + "\n");
}
console.log(
  `torture: ${summary.passed}/${summary.trials} trials passed, ${summary.kills} kills, ` +
    `${summary.durationSeconds} s${failed.length ? "" : ""}`,
);
if (failed.length === 0 && !flags.keep) {
  fs.rmSync(root, { recursive: true, force: true });
}
process.exitCode = failed.length === 0 ? 0 : 1;

/** Failures grouped by what broke, with ids, numbers and paths taken out. */
function failureKinds(failed: TrialResult[]): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const r of failed) {
    for (const failure of new Set(r.failures.map(kindOf))) {
      kinds[failure] = (kinds[failure] ?? 0) + 1;
    }
  }
  return kinds;
}

function kindOf(failure: string): string {
  return failure
    .replace(/^after kill \d+ \(([^):#]+)[^)]*\)/, "after a kill ($1)")
    .replace(/[0-9a-f]{12}/g, "<id>")
    .replace(/(^|\s)\/[^\s:]+/g, "$1…")
    .replace(/\d+/g, "N")
    .slice(0, 200);
}

function wholeNumber(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || (name !== "seed" && n < 1)) {
    console.error(`torture: --${name} must be a whole number ≥ 1`);
    process.exit(2);
  }
  return n;
}
