import * as fs from "node:fs";
import { updateConfig } from "../../store/config.ts";
import {
  assert,
  assertEquals,
  assertRejectsMaos,
} from "../../store/_test_util.ts";
import {
  makeOrchestration,
  treeHash,
} from "../../tests/fixtures/recovery_fixture.ts";
import { oldCheckpoint, withMaos } from "./_checkpoint_test_util.ts";
import { cleanup } from "./checkpoint_cleanup.ts";
import { listCheckpointSummaries } from "./checkpoint_list.ts";

Deno.test("cleanup --keep, --older-than, both, and --dry-run", async () => {
  await withMaos(async (paths) => {
    const id = await makeOrchestration(paths);
    for (const days of [1, 5, 20, 40, 60]) {
      await oldCheckpoint(paths, id, `d${days}`, days, true);
    }
    const names = () =>
      listCheckpointSummaries(paths).checkpoints.map((cp) => cp.name);
    const removed = async (options: Parameters<typeof cleanup>[1]) =>
      (await cleanup(paths, options)).removed.map((cp) => cp.name);

    const before = await treeHash(paths.root);
    assertEquals(await removed({ keep: 1, dryRun: true }), [
      "d5",
      "d20",
      "d40",
      "d60",
    ]);
    assertEquals(await treeHash(paths.root), before);

    assertEquals(await removed({ keep: 1, olderThanDays: 30 }), [
      "d40",
      "d60",
    ]);
    assertEquals(names(), ["d1", "d5", "d20"]);
    assertEquals(await removed({ olderThanDays: 10 }), ["d20"]);
    assertEquals(await removed({ keep: 1 }), ["d5"]);
    assertEquals(names(), ["d1"]);
    assertEquals(await removed({ keep: 0, dryRun: true }), ["d1"]);
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
    const { removed, manualKept } = await cleanup(paths, {});
    assertEquals(removed.map((cp) => cp.name), ["a3", "a4"]);
    assertEquals(manualKept, 0);
    assertEquals(
      listCheckpointSummaries(paths).checkpoints.map((cp) => cp.name),
      ["a1", "b1", "a2", "manual-old"],
    );
  });
});

Deno.test("cleanup --keep 0 and --older-than 0 delete only auto-checkpoints; manual ones go only with includeManual", async () => {
  await withMaos(async (paths) => {
    const id = await makeOrchestration(paths);
    await oldCheckpoint(paths, id, "manual-new", 1);
    await oldCheckpoint(paths, id, "auto-new", 2, true);
    await oldCheckpoint(paths, id, "before-refactor", 10);
    await oldCheckpoint(paths, id, "auto-old", 20, true);
    const names = () =>
      listCheckpointSummaries(paths).checkpoints.map((cp) => cp.name);

    const dry = await cleanup(paths, { keep: 0, dryRun: true });
    assertEquals(dry.removed.map((cp) => cp.name), ["auto-new", "auto-old"]);
    assertEquals(dry.manualKept, 2);

    const aged = await cleanup(paths, { olderThanDays: 0 });
    assertEquals(aged.removed.map((cp) => cp.name), ["auto-new", "auto-old"]);
    assertEquals(aged.manualKept, 2);
    assertEquals(names(), ["manual-new", "before-refactor"]);
    assertEquals((await cleanup(paths, { keep: 0 })).removed, []);

    // Only the manual ones the age matched count as "left alone".
    assertEquals((await cleanup(paths, { olderThanDays: 5 })).manualKept, 1);

    const all = await cleanup(paths, { keep: 1, includeManual: true });
    assertEquals(all.removed.map((cp) => cp.name), ["before-refactor"]);
    assertEquals(all.manualKept, 0);
    assertEquals(names(), ["manual-new"]);

    await assertRejectsMaos(
      () => cleanup(paths, { includeManual: true }),
      2,
      "--include-manual needs --keep or --older-than",
    );
  });
});

Deno.test("cleanup never deletes a damaged checkpoint file and reports it", async () => {
  await withMaos(async (paths) => {
    const id = await makeOrchestration(paths);
    const damaged = await oldCheckpoint(paths, id, "auto-bad", 50, true);
    await oldCheckpoint(paths, id, "auto-old", 40, true);
    fs.writeFileSync(paths.checkpoint(damaged), "{");
    const result = await cleanup(paths, { keep: 0, includeManual: true });
    assertEquals(result.removed.map((cp) => cp.name), ["auto-old"]);
    assertEquals(result.damaged.map((d) => d.id), [damaged]);
    assert(fs.existsSync(paths.checkpoint(damaged)));
    const retention = await cleanup(paths, {});
    assertEquals(retention.damaged.length, 1);
    assert(fs.existsSync(paths.checkpoint(damaged)));
  });
});
