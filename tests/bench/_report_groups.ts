/**
 * The report's scale figures for `deno task bench:report`: an orchestration
 * with 100,000 messages (tests/bench/_report_fixture.ts) — the time to write
 * its report and the file's size, and in real Chromium the time until the
 * page is interactive and how long a filter and a search take (matching,
 * the list and the timeline redrawn: what a person waits for).
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { reportHtml } from "../../lib/report/page_html.ts";
import { reportData } from "../../lib/report/report_data.ts";
import { MaosPaths } from "../../store/paths.ts";
import { launchChromium } from "../browser/_chromium.ts";
import type { BenchContext, Group, RunResult } from "./_figures.ts";
import { makeStore } from "./_fixtures.ts";
import { writeBusyOrchestration } from "./_report_fixture.ts";

const MESSAGES = 100_000;
const ID = "00000000beef";

const fixtures = new Map<string, Promise<{ root: string; file: string }>>();

function fixture(ctx: BenchContext): Promise<{ root: string; file: string }> {
  let made = fixtures.get(ctx.dir);
  if (!made) {
    made = (async () => {
      const root = path.join(ctx.dir, "report");
      const paths = await makeStore(root);
      const log = writeBusyOrchestration(paths, ID, MESSAGES);
      ctx.log(
        `  fixture: ${log.events} events, ${MESSAGES} messages (${
          (log.bytes / 1e6).toFixed(1)
        } MB)`,
      );
      return { root, file: path.join(root, "report.html") };
    })();
    fixtures.set(ctx.dir, made);
  }
  return made;
}

interface PageTimes {
  lastFilterMs: number;
}

const report: Group = {
  name: "report: 100,000 messages",
  figures: [{
    name: "report_100k_write_ms",
    goal: { op: "<=", value: 10_000 },
    unit: "ms",
    description:
      "`maos orchestration report` of an orchestration with 100,000 messages (101,000 events, 5 agents, a pause and a crash), from source: process start, reading and folding the log, rendering, writing the file",
  }, {
    name: "report_100k_mb",
    goal: { op: "<=", value: 25 },
    unit: "MB",
    description: "the size of that self-contained HTML file",
  }, {
    name: "report_100k_interactive_ms",
    goal: { op: "<=", value: 5_000 },
    unit: "ms",
    description:
      "Chromium (headless, Debian's) opens the file until the page is interactive (data parsed, timeline, list and charts drawn)",
  }, {
    name: "report_100k_filter_kind_ms",
    goal: { op: "<=", value: 500 },
    unit: "ms",
    description:
      "choosing a kind in the message filter: 100,000 messages matched, the virtual list and the timeline redrawn (measured in the page)",
  }, {
    name: "report_100k_search_ms",
    goal: { op: "<=", value: 500 },
    unit: "ms",
    description: "the same for a text search over every message",
  }],
  async run(ctx: BenchContext): Promise<RunResult> {
    const { root, file } = await fixture(ctx);
    const started = performance.now();
    const made = spawnSync(Deno.execPath(), [
      "run",
      "-A",
      path.resolve("main.ts"),
      "--quiet",
      "orchestration",
      "report",
      ID,
      "--out",
      file,
    ], { cwd: root, stdio: "ignore" });
    const writeMs = performance.now() - started;
    if (made.status !== 0) throw new Error("maos orchestration report failed");
    const inProcess = performance.now();
    reportHtml(await reportData(new MaosPaths(path.join(root, ".maos")), ID));
    const renderMs = performance.now() - inProcess;
    const bytes = fs.statSync(file).size;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({
        viewport: { width: 1280, height: 1000 },
      });
      const opened = performance.now();
      await page.goto(`file://${file}`);
      await page.waitForFunction(
        () =>
          (globalThis as unknown as { maosReport?: { ready: boolean } })
            .maosReport?.ready,
        undefined,
        { timeout: 60_000 },
      );
      const interactiveMs = performance.now() - opened;
      const filterMs = () =>
        page.evaluate(() =>
          (globalThis as unknown as { maosReport: PageTimes }).maosReport
            .lastFilterMs
        );
      await page.selectOption("#f-kind", "error");
      const kindMs = await filterMs();
      await page.selectOption("#f-kind", "");
      await page.fill("#f-search", "migration");
      await page.waitForFunction(() =>
        (globalThis as unknown as {
          maosReport: { visibleCount(): number; messageCount(): number };
        }).maosReport.visibleCount() < 100_000
      );
      const searchMs = await filterMs();
      return {
        report_100k_write_ms: {
          value: writeMs,
          parts: { in_process_fold_and_render_ms: renderMs },
        },
        report_100k_mb: { value: bytes / 1e6 },
        report_100k_interactive_ms: { value: interactiveMs },
        report_100k_filter_kind_ms: { value: kindMs },
        report_100k_search_ms: { value: searchMs },
      };
    } finally {
      await browser.close();
    }
  },
};

export const REPORT_GROUPS: Group[] = [report];
