/**
 * Turn the JSON of `deno task bench:report` into a markdown table (figure,
 * value, goal, met?) for the README.
 *
 *   deno run -A scripts/bench_table.ts docs/bench.json > table.md
 *
 * @module
 */
import * as fs from "node:fs";
import process from "node:process";

/** One figure as bench_report.ts writes it. */
export interface FigureResult {
  value: number;
  min: number;
  max: number;
  runs: number;
  unit: string;
  goal: string | null;
  met: boolean | null;
  description: string;
  parts?: Record<string, number>;
}

export interface BenchReport {
  generatedAt: string;
  durationSeconds: number;
  machine: Record<string, string | number>;
  figures: Record<string, FigureResult>;
}

/** The markdown table of a report: one row per figure, in report order. */
export function renderTable(report: BenchReport): string {
  const rows = [
    "| figure | value (min–max) | goal | met? |",
    "| --- | --- | --- | --- |",
  ];
  for (const [name, f] of Object.entries(report.figures)) {
    const unit = f.unit === "ratio" ? "" : ` ${f.unit}`;
    const value = `${format(f.value)}${unit} (${format(f.min)}–${
      format(f.max)
    })`;
    const met = f.met === null ? "—" : f.met ? "✅ yes" : "❌ no";
    rows.push(`| \`${name}\` | ${value} | ${f.goal ?? "—"} | ${met} |`);
  }
  return rows.join("\n") + "\n";
}

function format(n: number): string {
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

if (import.meta.main) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: deno run -A scripts/bench_table.ts FILE.json");
    process.exit(2);
  }
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as BenchReport;
  process.stdout.write(renderTable(report));
}
