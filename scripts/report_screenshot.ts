/**
 * `deno run -A scripts/report_screenshot.ts`: the README's picture of a
 * report. Runs the demo (examples/audit.yaml) on a copy of this repository's
 * committed files, writes its report with `maos orchestration report`, and
 * has Debian's Chromium (the browser the tests use) take docs/report.png.
 * Prints the commands' real output for the README.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { launchChromium } from "../tests/browser/_chromium.ts";

const repo = path.resolve(new URL("..", import.meta.url).pathname);
const main = path.join(repo, "main.ts");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "maos-report-shot-"));

function run(cmd: string, args: string[], show = true): string {
  const out = spawnSync(cmd, args, {
    cwd: work,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (out.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")}: exit ${out.status}\n${out.stderr}`,
    );
  }
  if (show) {
    console.log(`$ ${args.slice(3).join(" ")}\n${out.stdout}${out.stderr}`);
  }
  return out.stdout;
}

try {
  const archive = spawnSync("git", ["-C", repo, "archive", "HEAD"]);
  spawnSync("tar", ["-x", "-C", work], { input: archive.stdout });
  for (
    const args of [
      ["init", "-q", "-b", "main"],
      ["add", "-A"],
      [
        "-c",
        "user.name=demo",
        "-c",
        "user.email=demo@example.com",
        "commit",
        "-qm",
        "demo",
      ],
    ]
  ) spawnSync("git", args, { cwd: work });
  const maos = [Deno.execPath(), "run", "-A", main];
  const [bin, ...pre] = maos;
  run(bin, [
    ...pre,
    "orchestrate",
    "Audit this repository",
    "--plan",
    "examples/audit.yaml",
  ]);
  run(bin, [...pre, "orchestration", "report", "--out", "report.html"]);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 1200 },
    });
    await page.goto(`file://${path.join(work, "report.html")}`);
    await page.waitForFunction(() =>
      (globalThis as unknown as { maosReport?: { ready: boolean } }).maosReport
        ?.ready
    );
    // Show one message as a person would after clicking it.
    await page.click("#msg-list .row[data-seq]");
    const out = path.join(repo, "docs", "report.png");
    await page.screenshot({ path: out, fullPage: true });
    console.error(`wrote ${path.relative(repo, out)}`);
  } finally {
    await browser.close();
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
