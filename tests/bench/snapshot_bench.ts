/**
 * A durable snapshot (lowdb through the store's adapter) of a big
 * orchestration, 100 agents and 1,000 tasks, against the bare system calls
 * of a durable replace of the same bytes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DurableJsonFile } from "../../store/json_file.ts";
import { Journal } from "../../store/journal.ts";
import { SnapshotFileSchema } from "../../store/schema.ts";
import { foldEvent } from "../../lib/queries/state_fold.ts";
import { bareAtomicWrite } from "./_baselines.ts";
import {
  createdEvent,
  makePlan,
  makeStore,
  removeDir,
  tempDir,
} from "./_fixtures.ts";

const dir = tempDir("maos-bench-snapshot-");
const paths = await makeStore(dir);
const id = "5a5a5a5a5a5a";
const journal = await Journal.create(
  paths,
  id,
  createdEvent(id, makePlan(100, 1000)),
  foldEvent,
  "batched",
  "bench",
);
globalThis.addEventListener("unload", () => {
  journal.lock.release();
  removeDir(dir);
});
const bytes = fs.readFileSync(paths.state(id));
const snapshot = new DurableJsonFile(paths.state(id), SnapshotFileSchema)
  .readSync()!;
const other = new DurableJsonFile(
  path.join(paths.orchestration(id), "copy.json"),
  SnapshotFileSchema,
);
const bareTarget = path.join(paths.orchestration(id), "bare.json");

Deno.bench(`bare temp+fsync+rename+dir-fsync (${bytes.length} bytes)`, {
  group: "snapshot",
  baseline: true,
}, () => {
  bareAtomicWrite(bareTarget, bytes);
});
Deno.bench("Journal.snapshot", { group: "snapshot" }, async () => {
  await journal.snapshot();
});
Deno.bench("DurableJsonFile.writeSync", { group: "snapshot" }, () => {
  other.writeSync(snapshot);
});
