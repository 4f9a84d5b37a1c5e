/**
 * What a waiting approval costs: the permission-prompt tool reads the
 * requests once when a call is asked (state.json, then the log's tail) and
 * then polls every 250 ms for the answer (only what was appended). Neither
 * may grow with the orchestration's history: 1,000 events against 100,000
 * (set MAOS_BENCH_EVENTS for another size).
 */
import { ApprovalReader } from "../../lib/approvals/reader.ts";
import {
  makeStore,
  removeDir,
  tempDir,
  writeLongOrchestration,
} from "./_fixtures.ts";

const bigCount = Number(Deno.env.get("MAOS_BENCH_EVENTS") ?? 100_000);
const dir = tempDir("maos-bench-approval-");
globalThis.addEventListener("unload", () => removeDir(dir));
const paths = await makeStore(dir);
const small = writeLongOrchestration(paths, "000000001000", 1_000).id;
const big = writeLongOrchestration(paths, "000000100000", bigCount).id;
const polling = new ApprovalReader(paths, big);
polling.read();

Deno.bench("first read of the requests, 1,000 events", {
  group: "first",
  baseline: true,
}, () => {
  new ApprovalReader(paths, small).read();
});
Deno.bench(
  `first read of the requests, ${bigCount.toLocaleString("en")} events`,
  { group: "first" },
  () => {
    new ApprovalReader(paths, big).read();
  },
);
Deno.bench(
  `one poll with nothing new, ${bigCount.toLocaleString("en")} events`,
  { group: "poll" },
  () => {
    polling.read();
  },
);
