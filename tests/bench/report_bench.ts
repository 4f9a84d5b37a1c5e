/**
 * The report's own cost as the log grows: folding a log into timeline data
 * and rendering the page, for 10,000 messages against 100,000 (set
 * MAOS_BENCH_REPORT_MESSAGES for another size). The browser side is measured
 * by `deno task bench:report` (tests/bench/_report_groups.ts).
 */
import { reportHtml } from "../../lib/report/page_html.ts";
import { reportData } from "../../lib/report/report_data.ts";
import { makeStore, removeDir, tempDir } from "./_fixtures.ts";
import { writeBusyOrchestration } from "./_report_fixture.ts";

const big = Number(Deno.env.get("MAOS_BENCH_REPORT_MESSAGES") ?? 100_000);
const dir = tempDir("maos-bench-report-");
globalThis.addEventListener("unload", () => removeDir(dir));
const paths = await makeStore(dir);
writeBusyOrchestration(paths, "000000010000", 10_000);
writeBusyOrchestration(paths, "000000100000", big);

Deno.bench("report data + page, 10,000 messages", {
  group: "report",
  baseline: true,
}, async () => {
  reportHtml(await reportData(paths, "000000010000"));
});
Deno.bench(`report data + page, ${big.toLocaleString("en")} messages`, {
  group: "report",
}, async () => {
  reportHtml(await reportData(paths, "000000100000"));
});
