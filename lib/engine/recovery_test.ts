import * as fs from "node:fs";
import { readCheckpoint, writeCheckpoint } from "../../store/checkpoints.ts";
import { updateConfig } from "../../store/config.ts";
import { readSnapshot } from "../../store/journal.ts";
import { toJsonText } from "../../store/json_file.ts";
import type { MaosPaths } from "../../store/paths.ts";
import {
  assert,
  assertEquals,
  assertRejectsMaos,
  foldLog,
  readAllEvents,
} from "../../store/_test_util.ts";
import {
  appendTo,
  completeTask,
  holdLock,
  makeOrchestration,
  removeTemp,
  startTask,
  tempMaos,
  treeHash,
} from "../../tests/fixtures/recovery_fixture.ts";
import {
  checkpointInfo,
  checkpointOrchestrations,
  cleanup,
  deleteCheckpoint,
  exportCheckpoint,
  listCheckpointSummaries,
  restoreCheckpoint,
} from "./recovery.ts";

async function withMaos(fn: (paths: MaosPaths) => Promise<void>) {
  const paths = await tempMaos();
  try {
    await fn(paths);
  } finally {
    await removeTemp(paths);
  }
}

function statuses(paths: MaosPaths, id: string): Record<string, string> {
  const state = readSnapshot(paths, id)!.state;
  return Object.fromEntries(state.tasks.map((t) => [t.id, t.status]));
}

/** state.json must equal the fold of the whole log, key order included (what doctor checks). */
function assertSnapshotIsFold(paths: MaosPaths, id: string): void {
  assertEquals(
    toJsonText(readSnapshot(paths, id)!.state),
    toJsonText(foldLog(paths.events(id))),
  );
}

Deno.test("checkpoint without an id takes every unfinished orchestration and logs it", async () => {
  await withMaos(async (paths) => {
    const open = await makeOrchestration(paths, (j) => completeTask(j, "t1"));
    const done = await makeOrchestration(paths, (j) => {
      for (const t of ["t1", "t2", "t3"]) completeTask(j, t);
      j.append({ type: "orchestration.completed" });
    });
    const result = await checkpointOrchestrations(paths, {
      now: new Date(2026, 0, 2, 3, 4, 5),
    });
    assert(result.checkpoint);
    assertEquals(result.checkpoint.name, "manual-20260102-030405");
    assertEquals(result.checkpoint.orchestrations.map((o) => o.id), [open]);
    assertEquals(result.live, []);
    const last = readAllEvents(paths.events(open)).at(-1)!;
    assertEquals(last.type, "checkpoint.created");
    assert(last.type === "checkpoint.created");
    assertEquals(last.checkpoint, result.checkpoint.id);
    assertEquals(
      readAllEvents(paths.events(done)).some((e) =>
        e.type === "checkpoint.created"
      ),
      false,
    );
    assertSnapshotIsFold(paths, open);
    // A finished one is checkpointed when asked for by id (prefix).
    const byId = await checkpointOrchestrations(paths, {
      orchestrationId: done.slice(0, 6),
      name: "final",
    });
    assertEquals(byId.checkpoint?.orchestrations[0].id, done);
    assertEquals(byId.checkpoint?.name, "final");
  });
});

Deno.test("checkpoint with nothing unfinished makes no checkpoint; a bad name is a usage error", async () => {
  await withMaos(async (paths) => {
    assertEquals(await checkpointOrchestrations(paths), {
      checkpoint: null,
      live: [],
      skipped: [],
    });
    const id = await makeOrchestration(paths);
    await assertRejectsMaos(
      () => checkpointOrchestrations(paths, { orchestrationId: id, name: " " }),
      2,
      "invalid checkpoint name",
    );
    await assertRejectsMaos(
      () => checkpointOrchestrations(paths, { orchestrationId: "ffff" }),
      2,
      "not found",
    );
  });
});

Deno.test("a corrupt orchestration is left out of a checkpoint of all, with the reason", async () => {
  await withMaos(async (paths) => {
    const good = await makeOrchestration(paths);
    const bad = await makeOrchestration(paths, (j) => completeTask(j, "t1"));
    const lines = fs.readFileSync(paths.events(bad), "utf8").split("\n");
    lines[1] = "{not json";
    fs.writeFileSync(paths.events(bad), lines.join("\n"));
    fs.rmSync(paths.state(bad));
    const result = await checkpointOrchestrations(paths);
    assertEquals(result.checkpoint?.orchestrations.map((o) => o.id), [good]);
    assertEquals(result.skipped.map((s) => s.id), [bad]);
    assert(result.skipped[0].reason.includes("line 2"));
  });
});

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
      await assertRejectsMaos(
        () => restoreCheckpoint(paths, cp.checkpoint!.id),
        3,
        "is running",
        `pid ${holder.pid}`,
      );
      // A dry run says it would be refused, and writes nothing.
      const dry = await restoreCheckpoint(paths, cp.checkpoint!.id, {
        dryRun: true,
      });
      assert(dry.orchestrations[0].runningBy?.includes(`pid ${holder.pid}`));
      // A live orchestration is checkpointed from its files; its log is left to its owner.
      const live = await checkpointOrchestrations(paths, {
        orchestrationId: id,
      });
      assertEquals(live.live, [id]);
      const lockText = fs.readFileSync(paths.lock(id), "utf8");
      assert(lockText.includes(`"pid": ${holder.pid}`));
      const after = await treeHash(paths.orchestration(id));
      delete before["run.lock"];
      delete after["run.lock"]; // the holder's heartbeat may rewrite it
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

Deno.test("list, info, export and delete of checkpoints", async () => {
  await withMaos(async (paths) => {
    const a = await makeOrchestration(paths, (j) => completeTask(j, "t1"));
    const b = await makeOrchestration(paths);
    const both = await checkpointOrchestrations(paths, { name: "both" });
    const onlyA = await checkpointOrchestrations(paths, {
      orchestrationId: a,
      name: "only-a",
    });
    const all = listCheckpointSummaries(paths);
    assertEquals(all.length, 2);
    assertEquals(
      listCheckpointSummaries(paths, { orchestrationId: b.slice(0, 4) })
        .map((cp) => cp.name),
      ["both"],
    );
    assertEquals(listCheckpointSummaries(paths, { limit: 1 }).length, 1);
    assertEquals(
      new Set(all.find((cp) => cp.name === "both")!.orchestrations),
      new Set([a, b]),
    );

    const info = checkpointInfo(paths, onlyA.checkpoint!.id);
    assertEquals(info.details[0].progress, { completed: 1, total: 3 });
    assertEquals(info.details[0].currentSeq, info.details[0].seq + 1);

    const file = `${paths.root}/../cp.json`;
    exportCheckpoint(paths, both.checkpoint!.id, "cp.json", `${paths.root}/..`);
    assertEquals(
      fs.readFileSync(file, "utf8"),
      fs.readFileSync(paths.checkpoint(both.checkpoint!.id), "utf8"),
    );

    assertEquals(deleteCheckpoint(paths, both.checkpoint!.id).name, "both");
    assert(!fs.existsSync(paths.checkpoint(both.checkpoint!.id)));
    await assertRejectsMaos(
      () => Promise.resolve(checkpointInfo(paths, both.checkpoint!.id)),
      2,
      "not found",
    );
  });
});

/** A checkpoint of `id` dated `daysAgo` days back. */
async function oldCheckpoint(
  paths: MaosPaths,
  id: string,
  name: string,
  daysAgo: number,
  auto = false,
): Promise<string> {
  const state = readSnapshot(paths, id)!.state;
  const cp = await writeCheckpoint(paths, { name, auto, states: [state] });
  const file = readCheckpoint(paths, cp.id);
  file.createdAt = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  fs.writeFileSync(paths.checkpoint(cp.id), toJsonText(file));
  return cp.id;
}

Deno.test("cleanup --keep, --older-than, both, and --dry-run", async () => {
  await withMaos(async (paths) => {
    const id = await makeOrchestration(paths);
    for (const days of [1, 5, 20, 40, 60]) {
      await oldCheckpoint(paths, id, `d${days}`, days);
    }
    const names = () => listCheckpointSummaries(paths).map((cp) => cp.name);

    const before = await treeHash(paths.root);
    const dry = await cleanup(paths, { keep: 1, dryRun: true });
    assertEquals(dry.map((cp) => cp.name), ["d5", "d20", "d40", "d60"]);
    assertEquals(await treeHash(paths.root), before);

    const both = await cleanup(paths, { keep: 1, olderThanDays: 30 });
    assertEquals(both.map((cp) => cp.name), ["d40", "d60"]);
    assertEquals(names(), ["d1", "d5", "d20"]);

    const old = await cleanup(paths, { olderThanDays: 10 });
    assertEquals(old.map((cp) => cp.name), ["d20"]);

    const keep = await cleanup(paths, { keep: 1 });
    assertEquals(keep.map((cp) => cp.name), ["d5"]);
    assertEquals(names(), ["d1"]);
    assertEquals(await cleanup(paths, { keep: 0, dryRun: true }), [
      listCheckpointSummaries(paths)[0],
    ]);
  });
});

Deno.test("cleanup without flags keeps the newest auto-checkpoints per orchestration and every manual one", async () => {
  await withMaos(async (paths) => {
    await updateConfig(paths, (c) => {
      c.checkpoints.keepAuto = 2;
    });
    const a = await makeOrchestration(paths);
    const b = await makeOrchestration(paths);
    for (const days of [1, 2, 3, 4]) {
      await oldCheckpoint(paths, a, `a${days}`, days, true);
    }
    await oldCheckpoint(paths, b, "b1", 1.5, true);
    await oldCheckpoint(paths, a, "manual-old", 100);
    const removed = await cleanup(paths, {});
    assertEquals(removed.map((cp) => cp.name), ["a3", "a4"]);
    assertEquals(
      listCheckpointSummaries(paths).map((cp) => cp.name),
      ["a1", "b1", "a2", "manual-old"],
    );
  });
});
