/**
 * `maos orchestration report` of a real orchestration (paused, killed with
 * SIGKILL, resumed), opened from the file in real Chromium: no console
 * error, no request, a lane per agent, the marks, a click on a message's
 * mark shows it, filter and search work, agents' text stays text.
 */
import * as path from "node:path";
import {
  assert,
  assertEquals,
  assertIncludes,
  maosOk,
  withProject,
} from "../e2e/_engine_helpers.ts";
import { artifactPath, launchChromium, watchPage } from "./_chromium.ts";
import { HOSTILE, pausedCrashedResumedRun } from "./_real_run.ts";

interface PageData {
  lanes: { id: string }[];
  marks: { kind: string }[];
  turns: { agent: string; outcome: string }[];
  messages: [number, number, string, string | null, string, string][];
  files: { agent: string; files: { path: string; added: number | null }[] }[];
  header: { status: string; tasksDone: number; tasksTotal: number };
}

/** Poll until `check` holds (the search waits for typing to pause). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the page did not get there in 5 s");
}

Deno.test("the report of a paused, crashed and resumed run opens offline in Chromium, with a lane per agent, clickable marks, filter and search", async () => {
  await withProject(async (dir) => {
    const id = await pausedCrashedResumedRun(dir);
    const file = path.join(dir, "report.html");
    const made = (await maosOk(
      ["--json", "orchestration", "report", id.slice(0, 6), "--out", file],
      { cwd: dir },
    )).json<{ file: string; agents: number; messages: number }>();
    assertEquals(made.file, file);
    assertEquals(made.agents, 3);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage({
        viewport: { width: 1280, height: 1000 },
      });
      const url = `file://${file}`;
      const watch = watchPage(page, (u) => u === url);
      await page.goto(url);
      await page.waitForFunction(() =>
        (globalThis as unknown as { maosReport?: { ready: boolean } })
          .maosReport?.ready
      );
      const data = await page.evaluate(
        'JSON.parse(document.getElementById("maos-data").textContent)',
      ) as PageData;

      // The log's story, as drawn: completed after a pause and a crash.
      assertEquals(data.header.status, "completed");
      assertEquals([data.header.tasksDone, data.header.tasksTotal], [3, 3]);
      const kinds = new Set(data.marks.map((m) => m.kind));
      for (const kind of ["pause", "crash", "resume", "checkpoint", "end"]) {
        assert(kinds.has(kind), `a ${kind} mark in ${[...kinds]}`);
      }
      const outcomes = data.turns.filter((t) => t.agent === "builder-001")
        .map((t) => t.outcome);
      assertEquals(outcomes, ["paused", "interrupted", "completed"]);

      // One lane per agent, in the page itself.
      const lanes = await page.$$eval(
        "#lanes .lane",
        (els) => els.map((e) => e.getAttribute("data-agent")),
      );
      assertEquals(lanes, ["scout-001", "builder-001", "checker-001"]);

      // Clicking the mark of the info message shows that message.
      const info = data.messages.find((m) => m[4] === "info")!;
      const point = await page.evaluate(
        (seq) =>
          (globalThis as unknown as {
            maosReport: { markPoint(s: number): { x: number; y: number } };
          }).maosReport.markPoint(seq),
        info[0],
      );
      await page.mouse.click(point.x, point.y);
      assertEquals(
        await page.getAttribute("#msg-detail", "data-seq"),
        String(info[0]),
      );
      assertIncludes(
        await page.textContent("#msg-detail") ?? "",
        "built it, 16 lines",
      );
      assertEquals(
        await page.getAttribute("#msg-list .row.selected", "data-seq"),
        String(info[0]),
      );

      // The arrow keys walk the list from there.
      const next = data.messages[data.messages.indexOf(info) + 1];
      await page.focus("#msg-list");
      await page.keyboard.press("ArrowDown");
      assertEquals(
        await page.getAttribute("#msg-detail", "data-seq"),
        String(next[0]),
      );

      // Filter by kind, by agent, and search.
      const rows = () =>
        page.$$eval(
          "#msg-list .row[data-seq]",
          (els) => els.map((e) => Number(e.getAttribute("data-seq"))),
        );
      assertEquals((await rows()).length, data.messages.length);
      await page.selectOption("#f-kind", "broadcast");
      assertEquals(
        await rows(),
        data.messages.filter((m) => m[4] === "broadcast").map((m) => m[0]),
      );
      await page.selectOption("#f-kind", "");
      await page.selectOption("#f-agent", "builder-001");
      assertEquals(
        await rows(),
        data.messages.filter((m) =>
          m[2] === "builder-001" || m[3] === "builder-001"
        ).map((m) => m[0]),
      );
      await page.selectOption("#f-agent", "");
      await page.fill("#f-search", "PLEASE ADD");
      await eventually(async () => (await rows()).length === 1);
      const [request] = await rows();
      assertEquals(
        data.messages.find((m) => m[0] === request)?.[5],
        "please add tests",
      );

      // An agent's markup is shown as text, never run or rendered.
      const hostile = data.messages.filter((m) => m[5] === HOSTILE).map((m) =>
        m[0]
      );
      assert(hostile.length >= 1, "the scout's message was logged");
      await page.fill("#f-search", "onerror");
      await eventually(async () =>
        JSON.stringify(await rows()) === JSON.stringify(hostile)
      );
      await page.click("#msg-list .row[data-seq]");
      assertIncludes(await page.textContent("#msg-detail pre") ?? "", HOSTILE);
      assertEquals(
        await page.$$eval("img, #msg-detail b, #msg-list b", (e) => e.length),
        0,
      );
      assert(!(await page.title()).includes("pwned"));

      // The buttons zoom, a drag pans.
      const view = () =>
        page.evaluate(() =>
          (globalThis as unknown as {
            maosReport: { view(): [number, number] };
          }).maosReport.view()
        );
      const [a0, a1] = await view();
      await page.click("#zoom-in");
      const [b0, b1] = await view();
      assert(
        Math.abs((b1 - b0) - (a1 - a0) / 2) < 1,
        "+ halves the span in view",
      );
      const { x, y, width } = (await (await page.$("#timeline"))!
        .boundingBox())!;
      await page.mouse.move(x + width / 2, y + 10);
      await page.mouse.down();
      await page.mouse.move(x + width / 2 + 200, y + 10, { steps: 5 });
      await page.mouse.up();
      const [c0, c1] = await view();
      assert(c0 < b0, "dragging right shows earlier times");
      assert(Math.abs((c1 - c0) - (b1 - b0)) < 1, "a pan keeps the zoom");
      await page.click("#zoom-reset");

      // Files each agent changed, from its branch.
      const files = Object.fromEntries(
        data.files.map((a) => [a.agent, a.files.map((f) => f.path)]),
      );
      assertEquals(files["scout-001"], ["notes.md"]);
      assertEquals(files["builder-001"], ["build.txt"]);
      assertEquals(files["checker-001"], ["checked.md"]);

      await page.screenshot({
        path: artifactPath("report.png"),
        fullPage: true,
      });
      assertEquals(watch.errors, []);
      assertEquals(watch.requests, []);
    } finally {
      await browser.close();
    }
  });
});
