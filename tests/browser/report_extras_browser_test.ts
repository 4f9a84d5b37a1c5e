/**
 * The parts of the page that other rooms' events fill (approvals, refused
 * tool calls, budgets): a real orchestration's report data with them added
 * as the fold would, rendered and opened in Chromium. (This branch's log
 * schema does not accept those events yet, so they cannot come from a log.)
 */
import * as path from "node:path";
import { reportHtml } from "../../lib/report/page_html.ts";
import { reportData } from "../../lib/report/report_data.ts";
import { MaosPaths } from "../../store/paths.ts";
import {
  assertEquals,
  assertIncludes,
  maosOk,
  withProject,
  writePlan,
} from "../e2e/_engine_helpers.ts";
import { launchChromium, watchPage } from "./_chromium.ts";

Deno.test("approvals, refused tool calls and a budget show in the header, their table and the timeline's legend", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "solo-001", role: "solo" }],
      tasks: [{ id: "t", agent: "solo-001", title: "T", run: "echo hi" }],
    });
    await maosOk(["orchestrate", "Ask first", "--plan", plan], { cwd: dir });
    const paths = new MaosPaths(path.join(dir, ".maos"));
    const [id] = paths.listOrchestrationIds();
    const data = await reportData(paths, id);
    const at = data.header.lastAt!;
    data.header.approvals = [
      { n: 1, agent: "solo-001", tool: "<b>Bash</b>", at, decision: null },
      { n: 2, agent: "solo-001", tool: "Edit", at, decision: "granted" },
    ];
    data.header.budget = { usd: 1, spentUsd: 0.4, reached: false, event: "x" };
    data.marks.push({
      kind: "denied",
      at,
      agent: "solo-001",
      label: "refused: Edit",
    });
    const file = path.join(dir, "report.html");
    await Deno.writeTextFile(file, reportHtml(data));

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const url = `file://${file}`;
      const watch = watchPage(page, (u) => u === url);
      await page.goto(url);
      const figure = (name: string) =>
        page.textContent(`[data-figure="${name}"] span`);
      assertEquals(await figure("approvals"), "2 asked · 1 open");
      assertEquals(await figure("refused tool calls"), "1");
      assertEquals(await figure("budget"), "$0.4000 of $1.0000");
      const rows = await page.$$eval(
        "table.approvals tr",
        (trs) => trs.map((tr) => tr.textContent),
      );
      assertEquals(rows.length, 3);
      assertIncludes(rows[1] ?? "", "<b>Bash</b>");
      assertIncludes(rows[1] ?? "", "waiting");
      assertIncludes(rows[2] ?? "", "granted");
      assertIncludes(await page.textContent(".legend") ?? "", "refused");
      assertEquals(watch.errors, []);
      assertEquals(watch.requests, []);
    } finally {
      await browser.close();
    }
  });
});
