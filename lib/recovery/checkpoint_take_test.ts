import * as fs from "node:fs";
import { writeCheckpoint } from "../../store/checkpoints.ts";
import { readSnapshot } from "../../store/journal.ts";
import {
  assert,
  assertEquals,
  assertRejectsMaos,
  readAllEvents,
} from "../../store/_test_util.ts";
import {
  completeTask,
  makeOrchestration,
} from "../../tests/fixtures/recovery_fixture.ts";
import { assertSnapshotIsFold, withMaos } from "./_checkpoint_test_util.ts";
import { listCheckpointSummaries } from "./checkpoint_list.ts";
import { checkpointOrchestrations } from "./checkpoint_take.ts";

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

Deno.test("a --name already used by another checkpoint is refused with exit 2 and a hint; nothing is written", async () => {
  await withMaos(async (paths) => {
    const id = await makeOrchestration(paths);
    const first = await checkpointOrchestrations(paths, {
      orchestrationId: id,
      name: "before-refactor",
    });
    const log = fs.readFileSync(paths.events(id));
    const err = await assertRejectsMaos(
      () =>
        checkpointOrchestrations(paths, {
          orchestrationId: id,
          name: " before-refactor ",
        }),
      2,
      "'before-refactor' already exists",
      first.checkpoint!.id.slice(0, 8),
    );
    assert(err.hint?.includes("maos recover delete"), err.hint);
    assertEquals(fs.readFileSync(paths.events(id)), log);
    assertEquals(listCheckpointSummaries(paths).checkpoints.length, 1);
    // An auto-checkpoint's name is taken too.
    const state = readSnapshot(paths, id)!.state;
    await writeCheckpoint(paths, {
      name: "auto-x",
      auto: true,
      states: [state],
    });
    await assertRejectsMaos(
      () =>
        checkpointOrchestrations(paths, {
          orchestrationId: id,
          name: "auto-x",
        }),
      2,
      "already exists",
    );
  });
});

Deno.test("default names taken in the same second get -2, -3 … instead of colliding", async () => {
  await withMaos(async (paths) => {
    const id = await makeOrchestration(paths);
    const now = new Date(2026, 0, 2, 3, 4, 5);
    const names = [];
    for (let i = 0; i < 3; i++) {
      const result = await checkpointOrchestrations(paths, {
        orchestrationId: id,
        now,
      });
      names.push(result.checkpoint!.name);
    }
    assertEquals(names, [
      "manual-20260102-030405",
      "manual-20260102-030405-2",
      "manual-20260102-030405-3",
    ]);
  });
});
