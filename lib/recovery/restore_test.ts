import * as fs from "node:fs";
import { readSnapshot } from "../../store/journal.ts";
import {
  assert,
  assertEquals,
  assertRejectsMaos,
  readAllEvents,
} from "../../store/_test_util.ts";
import {
  appendTo,
  completeTask,
  holdLock,
  makeOrchestration,
  startTask,
  treeHash,
} from "../../tests/fixtures/recovery_fixture.ts";
import {
  assertNoNestedParens,
  assertSnapshotIsFold,
  statuses,
  withMaos,
} from "./_checkpoint_test_util.ts";
import { checkpointOrchestrations } from "./checkpoint_take.ts";
import { restoreCheckpoint } from "./restore.ts";

Deno.test("restore rewinds the state while the log only grows", async () => {
  await withMaos(async (paths) => {
    const id = await makeOrchestration(paths, (j) => completeTask(j, "t1"));
    const cp = await checkpointOrchestrations(paths, { orchestrationId: id });
    await appendTo(paths, id, (j) => {
      completeTask(j, "t2");
      completeTask(j, "t3");
      j.append({ type: "orchestration.completed" });
    });
    const before = fs.readFileSync(paths.events(id));
    const result = await restoreCheckpoint(paths, cp.checkpoint!.id);
    const after = fs.readFileSync(paths.events(id));
    assert(after.length > before.length);
    assertEquals(after.subarray(0, before.length), before);
    const last = readAllEvents(paths.events(id)).at(-1)!;
    assertEquals(last.type, "checkpoint.restored");
    assertEquals(statuses(paths, id), {
      t1: "completed",
      t2: "pending",
      t3: "pending",
    });
    const state = readSnapshot(paths, id)!.state;
    assertEquals(state.status, "paused");
    assertEquals(state.messages, 1);
    assertEquals(state.lastSeq, last.seq);
    assertSnapshotIsFold(paths, id);
    assertEquals(result.orchestrations[0].action, "rewind");
    assertEquals(result.orchestrations[0].statusBefore, "completed");
    assertEquals(
      result.orchestrations[0].tasks.map((t) => [t.id, t.before, t.after]),
      [
        ["t1", "completed", "completed"],
        ["t2", "completed", "pending"],
        ["t3", "completed", "pending"],
      ],
    );
    assert(!fs.existsSync(paths.lock(id)), "the lock is released");
  });
});

Deno.test("what was running in the checkpoint comes back interrupted under a paused orchestration", async () => {
  await withMaos(async (paths) => {
    const id = await makeOrchestration(paths, (j) => {
      completeTask(j, "t1");
      startTask(j, "t2");
    });
    const cp = await checkpointOrchestrations(paths, { orchestrationId: id });
    await restoreCheckpoint(paths, cp.checkpoint!.id.slice(0, 5));
    const state = readSnapshot(paths, id)!.state;
    assertEquals(state.status, "paused");
    assertEquals(statuses(paths, id).t2, "interrupted");
    assertEquals(
      state.agents.find((a) => a.id === "developer-001")?.status,
      "interrupted",
    );
    assertEquals(state.tasks[1].progress, 40);
    assertSnapshotIsFold(paths, id);
  });
});

Deno.test("restore is refused with exit 3 while a live process holds run.lock; checkpoint still works", async () => {
  await withMaos(async (paths) => {
    const id = await makeOrchestration(paths, (j) => completeTask(j, "t1"));
    const cp = await checkpointOrchestrations(paths, { orchestrationId: id });
    const holder = await holdLock(paths.root, id);
    try {
      const before = await treeHash(paths.orchestration(id));
      const refused = await assertRejectsMaos(
        () => restoreCheckpoint(paths, cp.checkpoint!.id),
        3,
        "is running",
        `pid ${holder.pid}`,
        "cannot be rewound",
      );
      assertNoNestedParens(refused.message);
      // The holder runs on this machine: the hint says how to pause it here.
      assert(refused.hint?.includes(`kill -INT ${holder.pid}`), refused.hint);
      assert(refused.hint?.includes("--fork"), refused.hint);
      // A dry run says it would be refused, and writes nothing.
      const dry = await restoreCheckpoint(paths, cp.checkpoint!.id, {
        dryRun: true,
      });
      assert(dry.orchestrations[0].runningBy?.includes(`pid ${holder.pid}`));
      // A live orchestration's checkpoint is asked of its process through the
      // inbox; this holder never answers, so after the bound the checkpoint
      // is taken from its files, and its log is left to its owner.
      const live = await checkpointOrchestrations(paths, {
        orchestrationId: id,
      });
      assertEquals(live.live, [id]);
      const lockText = fs.readFileSync(paths.lock(id), "utf8");
      assert(lockText.includes(`"pid": ${holder.pid}`));
      const after = await treeHash(paths.orchestration(id));
      delete before["run.lock"];
      delete after["run.lock"]; // the holder's heartbeat may rewrite it
      const inbox = fs.readFileSync(paths.inbox(id), "utf8");
      assert(inbox.includes('"kind":"checkpoint"'), inbox);
      delete after["inbox.jsonl"];
      assertEquals(after, before);
      // Forking needs no lock on the original.
      const fork = await restoreCheckpoint(paths, cp.checkpoint!.id, {
        fork: true,
      });
      assert(fork.orchestrations[0].target !== id);
    } finally {
      await holder.release();
    }
    // Once the holder is gone (its lock now stale), the restore goes through.
    const done = await restoreCheckpoint(paths, cp.checkpoint!.id);
    assertEquals(done.orchestrations[0].statusBefore, "interrupted");
  });
});

Deno.test("--fork leaves the original byte-identical and makes a new orchestration", async () => {
  await withMaos(async (paths) => {
    const id = await makeOrchestration(paths, (j) => {
      completeTask(j, "t1");
      startTask(j, "t2");
      j.append({
        type: "message",
        from: "analyst-001",
        to: null,
        kind: "info",
        content: "from the inbox",
        inboxEnd: 120,
      });
    });
    const cp = await checkpointOrchestrations(paths, { orchestrationId: id });
    await appendTo(paths, id, (j) => completeTask(j, "t2"));
    const before = await treeHash(paths.orchestration(id));
    const result = await restoreCheckpoint(paths, cp.checkpoint!.id, {
      fork: true,
    });
    assertEquals(await treeHash(paths.orchestration(id)), before);
    const fork = result.orchestrations[0].target!;
    assert(fork && fork !== id);
    assertEquals(result.orchestrations[0].action, "fork");
    const events = readAllEvents(paths.events(fork));
    assertEquals(events.map((e) => e.type), [
      "orchestration.created",
      "checkpoint.restored",
    ]);
    const state = readSnapshot(paths, fork)!.state;
    assertEquals(state.id, fork);
    assertEquals(state.request, "Audit the repo");
    assertEquals(state.status, "paused");
    assertEquals(state.messages, 2);
    assertEquals(state.inboxOffset, 0, "a new folder's inbox starts at 0");
    assertEquals(statuses(paths, fork), {
      t1: "completed",
      t2: "interrupted",
      t3: "pending",
    });
    assertSnapshotIsFold(paths, fork);
    assert(paths.listOrchestrationIds().includes(fork));
  });
});

Deno.test("--dry-run reports the change and writes nothing", async () => {
  await withMaos(async (paths) => {
    const id = await makeOrchestration(paths, (j) => completeTask(j, "t1"));
    const cp = await checkpointOrchestrations(paths, { orchestrationId: id });
    await appendTo(paths, id, (j) => completeTask(j, "t2"));
    const before = await treeHash(paths.root);
    const result = await restoreCheckpoint(paths, cp.checkpoint!.id, {
      dryRun: true,
    });
    const forked = await restoreCheckpoint(paths, cp.checkpoint!.id, {
      dryRun: true,
      fork: true,
    });
    assertEquals(await treeHash(paths.root), before);
    assertEquals(result.dryRun, true);
    // created, started, 3 events of t1 | checkpoint.created, 3 events of t2
    assertEquals(result.orchestrations[0].checkpointSeq, 5);
    assertEquals(result.orchestrations[0].currentSeq, 9);
    assertEquals(
      result.orchestrations[0].tasks.find((t) => t.id === "t2"),
      { id: "t2", title: "Build", before: "completed", after: "pending" },
    );
    assertEquals(forked.orchestrations[0].target, null);
    assertEquals(forked.orchestrations[0].tasks[1].before, null);
  });
});

Deno.test("restoring an orchestration deleted since the checkpoint brings it back", async () => {
  await withMaos(async (paths) => {
    const id = await makeOrchestration(paths, (j) => completeTask(j, "t1"));
    const cp = await checkpointOrchestrations(paths, { orchestrationId: id });
    const createdAt = readSnapshot(paths, id)!.state.createdAt;
    fs.rmSync(paths.orchestration(id), { recursive: true });
    const result = await restoreCheckpoint(paths, cp.checkpoint!.id);
    assertEquals(result.orchestrations[0].action, "recreate");
    const state = readSnapshot(paths, id)!.state;
    assertEquals(state.createdAt, createdAt);
    assertEquals(statuses(paths, id).t1, "completed");
    assertSnapshotIsFold(paths, id);
  });
});
