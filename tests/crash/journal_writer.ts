/**
 * Child of tests/crash/store_crash_test.ts: a writer that gets killed.
 * Creates an orchestration (Journal.create), then appends events as fast as
 * it can, printing `ack <seq>` once each append has returned, and writes a
 * snapshot every SNAPSHOT_EVERY events. It never stops by itself.
 *
 * usage: journal_writer.ts MAOS_DIR ORCHESTRATION_ID strict|batched|relaxed SNAPSHOT_EVERY
 */
import process from "node:process";
import { Journal } from "../../store/journal.ts";
import { MaosPaths } from "../../store/paths.ts";
import type { Durability, NewEvent } from "../../store/schema.ts";
import { foldEvent } from "../../lib/queries/state_fold.ts";

const [root, id, durability, everyText] = process.argv.slice(2);
const every = Number(everyText);
const agent = "analyst-001";
const journal = await Journal.create(
  new MaosPaths(root),
  id,
  {
    type: "orchestration.created",
    id,
    request: "Survive kill -9",
    driver: "sim",
    maxParallel: 1,
    plan: {
      agents: [{ id: agent, role: "analyst", driver: "sim", instructions: "" }],
      tasks: [{
        id: "t1",
        agent,
        title: "Keep writing",
        description: "",
        dependsOn: [],
      }],
    },
  },
  foldEvent,
  durability as Durability,
  "crash test writer",
);

function nextEvent(i: number): NewEvent {
  if (i % 7 === 0) {
    return { type: "task.progress", task: "t1", progress: i % 101 };
  }
  if (i % 11 === 0) return { type: "cost", agent, totalUsd: i / 1000 };
  return {
    type: "message",
    from: agent,
    to: null,
    kind: i % 5 === 0 ? "discovery" : "info",
    content: `message ${i} ` + "x".repeat((i * 31) % 400),
  };
}

for (let i = 1;; i++) {
  const event = journal.append(nextEvent(i));
  console.log(`ack ${event.seq}`);
  if (event.seq % every === 0) await journal.snapshot();
  // Let timers run now and then, as a real orchestrator would: the batched
  // group commit and the lock heartbeat.
  if (i % 16 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
}
