import * as fs from "node:fs";
import * as path from "node:path";
import {
  type CheckpointInput,
  deleteCheckpoint,
  listCheckpoints,
  pruneAutoCheckpoints,
  readCheckpoint,
  resolveCheckpointId,
  scanCheckpoints,
  storeCheckpoint,
  writeCheckpoint,
} from "./checkpoints.ts";
import { newId } from "./ids.ts";
import { MaosPaths } from "./paths.ts";
import type { OrchestrationState } from "./schema.ts";
import { foldEvent } from "../lib/queries/state_fold.ts";
import {
  assert,
  assertEquals,
  assertMaosError,
  createdEvent,
  sleep,
  withTempDir,
} from "./_test_util.ts";

function stateOf(id = newId()): OrchestrationState {
  return foldEvent(
    undefined,
    {
      ...createdEvent(id),
      seq: 1,
      at: new Date().toISOString(),
    } as Parameters<typeof foldEvent>[1],
  );
}

/** Checkpoints one after another, a few ms apart so "newest" is well defined. */
async function writeAll(paths: MaosPaths, inputs: CheckpointInput[]) {
  const written = [];
  for (const input of inputs) {
    written.push(await writeCheckpoint(paths, input));
    await sleep(3);
  }
  return written;
}

Deno.test("a written checkpoint reads back equal, is listed, and resolves by prefix", async () => {
  await withTempDir(async (dir) => {
    const paths = new MaosPaths(path.join(dir, ".maos"));
    const a = stateOf();
    const b = stateOf();
    const cp = await writeCheckpoint(paths, {
      name: "before refactor",
      auto: false,
      states: [a, b],
    });
    assert(/^[0-9a-f]{12}$/.test(cp.id));
    assertEquals(cp.orchestrations.map((o) => o.id), [a.id, b.id]);
    assertEquals(cp.orchestrations[0].seq, a.lastSeq);
    assertEquals(readCheckpoint(paths, cp.id), cp);
    assertEquals(resolveCheckpointId(paths, cp.id.slice(0, 5)), cp.id);
    assertEquals(fs.readdirSync(paths.checkpoints), [`${cp.id}.json`]);
    const text = fs.readFileSync(paths.checkpoint(cp.id), "utf8");
    assert(text.startsWith('{\n  "formatVersion": 1,') && text.endsWith("}\n"));
  });
});

Deno.test("checkpoints are listed newest first", async () => {
  await withTempDir(async (dir) => {
    const paths = new MaosPaths(path.join(dir, ".maos"));
    const state = stateOf();
    const written = await writeAll(
      paths,
      ["one", "two", "three"].map((name) => ({
        name,
        auto: false,
        states: [state],
      })),
    );
    assertEquals(
      listCheckpoints(paths).map((c) => c.name),
      ["three", "two", "one"],
    );
    assertEquals(
      listCheckpoints(paths).map((c) => c.id),
      written.map((c) => c.id).reverse(),
    );
  });
});

Deno.test("delete removes one checkpoint; a missing one is not found (code 2)", async () => {
  await withTempDir(async (dir) => {
    const paths = new MaosPaths(path.join(dir, ".maos"));
    const [keep, gone] = await writeAll(paths, [
      { name: "keep", auto: false, states: [stateOf()] },
      { name: "gone", auto: true, states: [stateOf()] },
    ]);
    deleteCheckpoint(paths, gone.id);
    deleteCheckpoint(paths, gone.id); // twice is harmless
    assertEquals(listCheckpoints(paths).map((c) => c.id), [keep.id]);
    assertMaosError(() => readCheckpoint(paths, gone.id), 2, gone.id);
    assertMaosError(
      () => resolveCheckpointId(paths, gone.id.slice(0, 6)),
      2,
      "not found",
    );
    assertMaosError(() => readCheckpoint(paths, "../../x"), 2);
  });
});

Deno.test("prune keeps the newest N auto-checkpoints of one orchestration and every manual one", async () => {
  await withTempDir(async (dir) => {
    const paths = new MaosPaths(path.join(dir, ".maos"));
    const a = stateOf();
    const b = stateOf();
    const inputs: CheckpointInput[] = [];
    for (let i = 0; i < 6; i++) {
      inputs.push({ name: `auto-a-${i}`, auto: true, states: [a] });
      if (i % 2 === 0) {
        inputs.push({ name: `manual-a-${i}`, auto: false, states: [a] });
      }
      if (i < 3) inputs.push({ name: `auto-b-${i}`, auto: true, states: [b] });
    }
    // A checkpoint of several orchestrations belongs to none of them alone.
    inputs.push({ name: "auto-ab", auto: true, states: [a, b] });
    const written = await writeAll(paths, inputs);
    const id = (name: string) => written.find((c) => c.name === name)!.id;

    const removed = pruneAutoCheckpoints(paths, a.id, 2);
    assertEquals(
      removed.sort(),
      ["auto-a-0", "auto-a-1", "auto-a-2", "auto-a-3"].map(id).sort(),
    );
    assertEquals(listCheckpoints(paths).map((c) => c.name).sort(), [
      "auto-a-4",
      "auto-a-5",
      "auto-ab",
      "auto-b-0",
      "auto-b-1",
      "auto-b-2",
      "manual-a-0",
      "manual-a-2",
      "manual-a-4",
    ]);
    assertEquals(pruneAutoCheckpoints(paths, a.id, 2), []);
  });
});

Deno.test("a corrupt checkpoint file is code 4 naming it when listed", async () => {
  await withTempDir(async (dir) => {
    const paths = new MaosPaths(path.join(dir, ".maos"));
    const cp = await writeCheckpoint(paths, {
      name: "x",
      auto: false,
      states: [stateOf()],
    });
    fs.writeFileSync(paths.checkpoint(cp.id), '{"formatVersion":1,');
    assertMaosError(() => listCheckpoints(paths), 4, paths.checkpoint(cp.id));
  });
});

Deno.test("scan lists the readable checkpoints and reports a damaged file by id with a one-line error", async () => {
  await withTempDir(async (dir) => {
    const paths = new MaosPaths(path.join(dir, ".maos"));
    const [good, bad, worse] = await writeAll(
      paths,
      ["good", "bad", "worse"].map((name) => ({
        name,
        auto: false,
        states: [stateOf()],
      })),
    );
    fs.writeFileSync(paths.checkpoint(bad.id), '{"formatVersion":1,\n"id":');
    fs.writeFileSync(paths.checkpoint(worse.id), '{"formatVersion":1}\n');
    const scan = scanCheckpoints(paths);
    assertEquals(scan.checkpoints.map((c) => c.id), [good.id]);
    assertEquals(
      scan.damaged.map((d) => [d.id, d.file]).sort(),
      [bad, worse].map((c) => [c.id, paths.checkpoint(c.id)]).sort(),
    );
    for (const d of scan.damaged) {
      assert(d.error.includes(d.file), d.error);
      assert(!d.error.includes("\n"), d.error);
    }
  });
});

Deno.test("prune skips a damaged checkpoint file and never deletes it", async () => {
  await withTempDir(async (dir) => {
    const paths = new MaosPaths(path.join(dir, ".maos"));
    const a = stateOf();
    const written = await writeAll(
      paths,
      [0, 1, 2, 3].map((i) => ({ name: `auto-${i}`, auto: true, states: [a] })),
    );
    const damaged = written[3];
    fs.writeFileSync(paths.checkpoint(damaged.id), "{");
    const removed = pruneAutoCheckpoints(paths, a.id, 1);
    assertEquals(removed.sort(), [written[0].id, written[1].id].sort());
    assert(fs.existsSync(paths.checkpoint(damaged.id)));
    assertEquals(
      scanCheckpoints(paths).checkpoints.map((c) => c.id),
      [written[2].id],
    );
  });
});

Deno.test("storeCheckpoint writes a whole checkpoint under its own id, byte-identical to a written one", async () => {
  await withTempDir(async (dir) => {
    const paths = new MaosPaths(path.join(dir, ".maos"));
    const cp = await writeCheckpoint(paths, {
      name: "x",
      auto: false,
      states: [stateOf()],
    });
    const text = fs.readFileSync(paths.checkpoint(cp.id), "utf8");
    deleteCheckpoint(paths, cp.id);
    await storeCheckpoint(paths, JSON.parse(text));
    assertEquals(fs.readFileSync(paths.checkpoint(cp.id), "utf8"), text);
    assertEquals(fs.readdirSync(paths.checkpoints), [`${cp.id}.json`]);
  });
});
