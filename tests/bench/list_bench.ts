/**
 * Listing many orchestrations reads only their state.json files: it should
 * cost little more than reading and parsing those files bare. 10,000 by
 * default (MAOS_BENCH_ORCHESTRATIONS for another count).
 */
import { listOrchestrations } from "../../lib/queries/queries.ts";
import { bareReadAndParse } from "./_baselines.ts";
import {
  makeStore,
  removeDir,
  tempDir,
  writeManyOrchestrations,
} from "./_fixtures.ts";

const count = Number(Deno.env.get("MAOS_BENCH_ORCHESTRATIONS") ?? 10_000);
const dir = tempDir("maos-bench-list-");
globalThis.addEventListener("unload", () => removeDir(dir));
const paths = await makeStore(dir);
writeManyOrchestrations(paths, count);

Deno.bench("bare read + JSON.parse of every state.json", {
  group: "list",
  baseline: true,
}, () => {
  bareReadAndParse(paths.orchestrations);
});
Deno.bench(`listOrchestrations (${count})`, { group: "list" }, () => {
  listOrchestrations(paths);
});
