/**
 * Opening an orchestration and reading its newest messages must not cost
 * more as its history grows: 1,000 events against 1,000,000 (set
 * MAOS_BENCH_EVENTS for another size), same plan, same snapshot distance.
 */
import { readRecentEvents } from "../../store/event_log.ts";
import { loadOrchestration } from "../../store/journal.ts";
import { foldEvent } from "../../lib/queries/state_fold.ts";
import {
  makeStore,
  removeDir,
  tempDir,
  writeLongOrchestration,
} from "./_fixtures.ts";

const bigCount = Number(Deno.env.get("MAOS_BENCH_EVENTS") ?? 1_000_000);
const dir = tempDir("maos-bench-log-");
globalThis.addEventListener("unload", () => removeDir(dir));
const paths = await makeStore(dir);
const small = writeLongOrchestration(paths, "000000001000", 1_000).id;
const big = writeLongOrchestration(paths, "000001000000", bigCount).id;
const isMessage = (e: { type: string }) => e.type === "message";

Deno.bench("open, 1,000 events", { group: "open", baseline: true }, () => {
  loadOrchestration(paths, small, foldEvent);
});
Deno.bench(`open, ${bigCount.toLocaleString("en")} events`, {
  group: "open",
}, () => {
  loadOrchestration(paths, big, foldEvent);
});

Deno.bench("newest 20 messages, 1,000 events", {
  group: "recent",
  baseline: true,
}, () => {
  readRecentEvents(paths.events(small), 20, isMessage);
});
Deno.bench(`newest 20 messages, ${bigCount.toLocaleString("en")} events`, {
  group: "recent",
}, () => {
  readRecentEvents(paths.events(big), 20, isMessage);
});
