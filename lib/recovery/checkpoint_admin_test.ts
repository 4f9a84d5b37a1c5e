import * as fs from "node:fs";
import * as path from "node:path";
import { toJsonText } from "../../store/json_file.ts";
import {
  assert,
  assertEquals,
  assertMaosError,
  assertRejectsMaos,
} from "../../store/_test_util.ts";
import {
  completeTask,
  makeOrchestration,
  treeHash,
} from "../../tests/fixtures/recovery_fixture.ts";
import { withMaos } from "./_checkpoint_test_util.ts";
import {
  checkpointInfo,
  deleteCheckpoint,
  exportCheckpoint,
  importCheckpoint,
} from "./checkpoint_admin.ts";
import { listCheckpointSummaries } from "./checkpoint_list.ts";
import { checkpointOrchestrations } from "./checkpoint_take.ts";
import { restoreCheckpoint } from "./restore.ts";
import { exportOrchestration } from "./transfer.ts";

Deno.test("list, info, export and delete of checkpoints", async () => {
  await withMaos(async (paths) => {
    const a = await makeOrchestration(paths, (j) => completeTask(j, "t1"));
    const b = await makeOrchestration(paths);
    const both = await checkpointOrchestrations(paths, { name: "both" });
    const onlyA = await checkpointOrchestrations(paths, {
      orchestrationId: a,
      name: "only-a",
    });
    const all = listCheckpointSummaries(paths).checkpoints;
    assertEquals(all.length, 2);
    assertEquals(
      listCheckpointSummaries(paths, { orchestrationId: b.slice(0, 4) })
        .checkpoints.map((cp) => cp.name),
      ["both"],
    );
    assertEquals(
      listCheckpointSummaries(paths, { limit: 1 }).checkpoints.length,
      1,
    );
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

    const deleted = deleteCheckpoint(paths, both.checkpoint!.id);
    assert("name" in deleted && deleted.name === "both");
    assert(!fs.existsSync(paths.checkpoint(both.checkpoint!.id)));
    await assertRejectsMaos(
      () => Promise.resolve(checkpointInfo(paths, both.checkpoint!.id)),
      2,
      "not found",
    );
  });
});

/** A checkpoint of `id` dated `daysAgo` days back. */

Deno.test("a damaged checkpoint file hides only itself from the list; info, restore and export of it exit 4 naming it; delete removes it", async () => {
  await withMaos(async (paths) => {
    const id = await makeOrchestration(paths);
    const good = await checkpointOrchestrations(paths, {
      orchestrationId: id,
      name: "good",
    });
    const bad = await checkpointOrchestrations(paths, {
      orchestrationId: id,
      name: "bad",
    });
    const badId = bad.checkpoint!.id;
    const file = paths.checkpoint(badId);
    fs.writeFileSync(file, '{"formatVersion":1,"id":');

    const listing = listCheckpointSummaries(paths);
    assertEquals(listing.checkpoints.map((c) => c.name), ["good"]);
    assertEquals(listing.damaged.map((d) => [d.id, d.file]), [[badId, file]]);
    assert(listing.damaged[0].error.includes(file));
    // A filter by orchestration still lists the rest and still reports it.
    assertEquals(
      listCheckpointSummaries(paths, { orchestrationId: id }).damaged.length,
      1,
    );
    assertEquals(
      listCheckpointSummaries(paths, { orchestrationId: id }).checkpoints
        .map((c) => c.id),
      [good.checkpoint!.id],
    );

    assertMaosError(() => checkpointInfo(paths, badId), 4, file);
    await assertRejectsMaos(() => restoreCheckpoint(paths, badId), 4, file);
    assertMaosError(
      () =>
        exportCheckpoint(paths, badId, "out.json", path.dirname(paths.root)),
      4,
      file,
    );
    assert(!fs.existsSync(path.join(path.dirname(paths.root), "out.json")));

    const deleted = deleteCheckpoint(paths, badId.slice(0, 6));
    assert("damaged" in deleted && deleted.damaged.includes(file));
    assert(!fs.existsSync(file));
    assertEquals(listCheckpointSummaries(paths).damaged, []);
  });
});

Deno.test("an exported checkpoint imports back byte-identical under its id and can be restored", async () => {
  await withMaos(async (paths) => {
    const dir = path.dirname(paths.root);
    const id = await makeOrchestration(paths, (j) => completeTask(j, "t1"));
    const made = await checkpointOrchestrations(paths, {
      orchestrationId: id,
      name: "backup",
    });
    const cpId = made.checkpoint!.id;
    const stored = fs.readFileSync(paths.checkpoint(cpId), "utf8");
    exportCheckpoint(paths, cpId, "backup.json", dir);
    deleteCheckpoint(paths, cpId);
    fs.rmSync(paths.checkpoints, { recursive: true });

    const imported = await importCheckpoint(paths, "backup.json", dir);
    assertEquals(imported.checkpoint.id, cpId);
    assertEquals(imported.checkpoint.name, "backup");
    assertEquals(imported.file, path.join(dir, "backup.json"));
    assertEquals(imported.sameNameAs, undefined);
    assertEquals(fs.readFileSync(paths.checkpoint(cpId), "utf8"), stored);
    assertEquals(
      fs.readdirSync(paths.checkpoints).filter((n) => n.endsWith(".tmp")),
      [],
    );
    const restored = await restoreCheckpoint(paths, cpId.slice(0, 4));
    assertEquals(restored.orchestrations[0].target, id);
  });
});

Deno.test("import refuses a damaged file (exit 4), an id already present (exit 2), an orchestration export, another JSON file and a missing file, and writes nothing", async () => {
  await withMaos(async (paths) => {
    const dir = path.dirname(paths.root);
    const id = await makeOrchestration(paths);
    const made = await checkpointOrchestrations(paths, {
      orchestrationId: id,
      name: "one",
    });
    const cpId = made.checkpoint!.id;
    exportCheckpoint(paths, cpId, "cp.json", dir);
    const text = fs.readFileSync(path.join(dir, "cp.json"), "utf8");
    const doc = JSON.parse(text);
    fs.writeFileSync(path.join(dir, "cut.json"), text.slice(0, 200));
    fs.writeFileSync(
      path.join(dir, "bad-seq.json"),
      toJsonText({
        ...doc,
        id: "0123456789ab",
        orchestrations: [{ ...doc.orchestrations[0], seq: -1 }],
      }),
    );
    await exportOrchestration(paths, id, "orch.json", dir);
    const before = await treeHash(paths.root);

    for (const file of ["cut.json", "bad-seq.json"]) {
      const err = await assertRejectsMaos(
        () => importCheckpoint(paths, file, dir),
        4,
        path.join(dir, file),
      );
      assert(err.hint?.includes("nothing was imported"), err.hint);
    }
    const present = await assertRejectsMaos(
      () => importCheckpoint(paths, "cp.json", dir),
      2,
      `checkpoint ${cpId} is already present`,
    );
    assert(present.hint?.includes("maos recover delete"), present.hint);
    await assertRejectsMaos(
      () => importCheckpoint(paths, "orch.json", dir),
      2,
      "orchestration export",
    );
    await assertRejectsMaos(
      () => importCheckpoint(paths, "missing.json", dir),
      2,
      "not found",
    );
    fs.writeFileSync(path.join(dir, "plan.json"), '{"agents":[],"tasks":[]}');
    await assertRejectsMaos(
      () => importCheckpoint(paths, "plan.json", dir),
      2,
      "is not a maos checkpoint",
    );
    assertEquals(await treeHash(paths.root), before);
  });
});

Deno.test("import of a checkpoint whose name is already used here keeps it and says which one has the name", async () => {
  await withMaos(async (paths) => {
    const dir = path.dirname(paths.root);
    const id = await makeOrchestration(paths);
    const made = await checkpointOrchestrations(paths, {
      orchestrationId: id,
      name: "same",
    });
    const doc = JSON.parse(
      fs.readFileSync(paths.checkpoint(made.checkpoint!.id), "utf8"),
    );
    fs.writeFileSync(
      path.join(dir, "other.json"),
      toJsonText({ ...doc, id: "0123456789ab" }),
    );
    const imported = await importCheckpoint(paths, "other.json", dir);
    assertEquals(imported.sameNameAs, made.checkpoint!.id);
    assertEquals(listCheckpointSummaries(paths).checkpoints.length, 2);
  });
});
