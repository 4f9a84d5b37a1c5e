/**
 * `deno task bench:report --out FILE`: measure the store's named figures and
 * the end-to-end ones (tests/bench/_e2e_groups.ts) against their baselines
 * and goals, and write them as one JSON object; a whole report (no --only)
 * also rewrites the README's benchmark table (scripts/bench_table.ts).
 *
 * Each figure is the median of `--runs` runs (default 5); min and max are
 * kept too. Numerator and denominator of a ratio are measured in the same
 * run, interleaved, on fixtures generated once in a temp dir.
 *
 *   deno task bench:report --out docs/bench.json
 *   deno task bench:report --only open_1m_vs_1k,recent_1m_vs_1k --runs 3
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import {
  BenchContext,
  FULL_SIZES,
  type Goal,
  GROUPS,
  machine,
  median,
} from "../tests/bench/_figures.ts";
import { E2E_GROUPS } from "../tests/bench/_e2e_groups.ts";
import { REPORT_GROUPS } from "../tests/bench/_report_groups.ts";
import { removeDir, tempDir } from "../tests/bench/_fixtures.ts";
import {
  type BenchReport,
  type FigureResult,
  renderTable,
} from "./bench_table.ts";

const { values: flags } = parseArgs({
  args: process.argv.slice(2),
  options: {
    out: { type: "string" },
    runs: { type: "string", default: "5" },
    only: { type: "string" },
    "keep-fixtures": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (flags.help) {
  console.log(
    "usage: deno task bench:report [--out FILE] [--runs N] [--only a,b] [--keep-fixtures]",
  );
  process.exit(0);
}
const runs = Number(flags.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error("bench:report: --runs must be a whole number ≥ 1");
  process.exit(2);
}
const only = flags.only ? new Set(flags.only.split(",")) : undefined;

const started = performance.now();
const dir = tempDir("maos-bench-report-");
const log = (text: string) => console.error(text);
const ctx = new BenchContext(dir, FULL_SIZES, log);
const figures: Record<string, FigureResult> = {};
const startMachine = machine();

try {
  for (const group of [...GROUPS, ...E2E_GROUPS, ...REPORT_GROUPS]) {
    const wanted = group.figures.filter((f) => !only || only.has(f.name));
    if (wanted.length === 0) continue;
    log(`${group.name} (${runs} runs)`);
    const samples = new Map<string, number[]>();
    const parts = new Map<string, Record<string, number[]>>();
    for (let i = 0; i < runs; i++) {
      const result = await group.run(ctx, i);
      for (const [name, r] of Object.entries(result)) {
        samples.set(name, [...(samples.get(name) ?? []), r.value]);
        const p = parts.get(name) ?? {};
        for (const [k, v] of Object.entries(r.parts ?? {})) {
          (p[k] ??= []).push(v);
        }
        parts.set(name, p);
      }
    }
    for (const spec of wanted) {
      const values = samples.get(spec.name) ?? [];
      const value = median(values);
      const p = parts.get(spec.name) ?? {};
      figures[spec.name] = {
        value: round(value),
        min: round(Math.min(...values)),
        max: round(Math.max(...values)),
        runs: values.length,
        unit: spec.unit,
        goal: spec.goal
          ? `${spec.goal.op === ">=" ? "≥" : "≤"} ${spec.goal.value}`
          : null,
        met: spec.goal ? meets(value, spec.goal) : null,
        description: spec.description,
        ...(Object.keys(p).length
          ? {
            parts: Object.fromEntries(
              Object.entries(p).map(([k, v]) => [k, round(median(v))]),
            ),
          }
          : {}),
      };
      const f = figures[spec.name];
      log(
        `  ${spec.name}: ${f.value} (min ${f.min}, max ${f.max})` +
          (f.goal ? `  goal ${f.goal}: ${f.met ? "met" : "MISSED"}` : ""),
      );
    }
  }
  const binaries = ctx.binariesNote();
  const report: BenchReport & Record<string, unknown> = {
    generatedAt: new Date().toISOString(),
    durationSeconds: Math.round((performance.now() - started) / 1000),
    machine: { ...startMachine, loadAverage1mAtEnd: machine().loadAverage1m },
    ...(binaries ? { binary: binaries } : {}),
    figures,
  };
  const json = JSON.stringify(report, null, 2) + "\n";
  if (flags.out) {
    fs.mkdirSync(path.dirname(path.resolve(flags.out)), { recursive: true });
    fs.writeFileSync(flags.out, json);
    log(`wrote ${flags.out}`);
    // A whole report is what the README shows; a partial one (--only) is not.
    if (!only && updateReadmeTable(renderTable(report))) {
      log("updated the benchmark table in README.md");
    }
  } else {
    process.stdout.write(json);
  }
  log("");
  log(renderTable(report));
  log(`done in ${report.durationSeconds} s`);
} finally {
  if (flags["keep-fixtures"]) log(`fixtures kept in ${dir}`);
  else removeDir(dir);
}

/** Replace the `<!-- bench -->` block of README.md (only it), formatted as `deno fmt` wants. */
function updateReadmeTable(table: string): boolean {
  const readme = "README.md";
  if (!fs.existsSync(readme)) return false;
  const text = fs.readFileSync(readme, "utf8");
  const block = /<!-- bench -->[\s\S]*?<!-- \/bench -->/;
  if (!block.test(text)) return false;
  fs.writeFileSync(
    readme,
    text.replace(
      block,
      () => `<!-- bench -->\n\n${table.trim()}\n\n<!-- /bench -->`,
    ),
  );
  spawnSync(Deno.execPath(), ["fmt", readme], { stdio: "ignore" });
  return true;
}

function meets(value: number, goal: Goal): boolean {
  return goal.op === ">=" ? value >= goal.value : value <= goal.value;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
