/**
 * `maos recover …` and `maos orchestration checkpoint | save-interval`,
 * run as the real program on real files.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { MaosPaths } from "../../store/paths.ts";
import { readSnapshot } from "../../store/journal.ts";
import {
  assert,
  assertEquals,
  assertIncludes,
} from "../../store/_test_util.ts";
import {
  appendTo,
  completeTask,
  holdLock,
  makeOrchestration,
  maosOk,
  removeTemp,
  startTask,
  tempMaos,
  treeHash,
} from "../fixtures/recovery_fixture.ts";

interface CheckpointRow {
  id: string;
  name: string;
  auto: boolean;
  orchestrations: string[];
  createdAt: string;
}

async function withMaos(fn: (paths: MaosPaths, dir: string) => Promise<void>) {
  const paths = await tempMaos();
  try {
    await fn(paths, path.dirname(paths.root));
  } finally {
    await removeTemp(paths);
  }
}

Deno.test("recover checkpoint, list, info, then restore --dry-run writes nothing and restore rewinds append-only", async () => {
  await withMaos(async (paths, dir) => {
    const id = await makeOrchestration(paths, (j) => {
      completeTask(j, "t1");
      startTask(j, "t2");
    });
    const made = await maosOk(
      ["--json", "recover", "checkpoint", "--name", "before-t2"],
      { cwd: dir },
    );
    const cp = made.json<CheckpointRow>();
    assertEquals(cp.name, "before-t2");
    assertEquals(cp.orchestrations, [id]);
    assertEquals(cp.auto, false);

    const list = (await maosOk(["--json", "recover", "list"], { cwd: dir }))
      .json<CheckpointRow[]>();
    assertEquals(list, [cp]);
    const table = await maosOk(["recover", "list"], { cwd: dir });
    for (const head of ["ID", "Name", "Auto", "Orchestrations", "Created"]) {
      assertIncludes(table.stdout, head);
    }
    assertIncludes(table.stdout, "before-t2");
    assertIncludes(table.stdout, id.slice(0, 8));

    const info =
      (await maosOk(["--json", "recover", "info", cp.id.slice(0, 4)], {
        cwd: dir,
      })).json<{ details: { progress: { completed: number } }[] }>();
    assertEquals(info.details[0].progress.completed, 1);

    await appendTo(paths, id, (j) => {
      completeTask(j, "t2");
      completeTask(j, "t3");
      j.append({ type: "orchestration.completed" });
    });

    const before = await treeHash(paths.root);
    const dry = await maosOk(["recover", "restore", cp.id, "--dry-run"], {
      cwd: dir,
    });
    assertIncludes(dry.stdout, "Dry run");
    assertIncludes(dry.stdout, "t2");
    assertEquals(await treeHash(paths.root), before);

    const log = fs.readFileSync(paths.events(id));
    const restored = await maosOk(["--json", "recover", "restore", cp.id], {
      cwd: dir,
    });
    const result = restored.json<
      { orchestrations: { target: string; tasks: { after: string }[] }[] }
    >();
    assertEquals(result.orchestrations[0].target, id);
    const grown = fs.readFileSync(paths.events(id));
    assert(grown.length > log.length);
    assertEquals(grown.subarray(0, log.length), log);

    const status = (await maosOk(
      ["--json", "orchestration", "status", id.slice(0, 6)],
      { cwd: dir },
    )).json<{ status: string; tasks: { id: string; status: string }[] }>();
    assertEquals(status.status, "paused");
    assertEquals(status.tasks.map((t) => t.status), [
      "completed",
      "interrupted",
      "pending",
    ]);
    await maosOk(["doctor"], { cwd: dir });
  });
});

Deno.test("recover restore and save-interval exit 3 while another process runs the orchestration", async () => {
  await withMaos(async (paths, dir) => {
    const id = await makeOrchestration(paths, (j) => completeTask(j, "t1"));
    const cp = (await maosOk(
      ["--json", "orchestration", "checkpoint", id.slice(0, 4)],
      { cwd: dir },
    )).json<CheckpointRow>();
    assert(cp.name.startsWith("manual-"));
    const holder = await holdLock(paths.root, id);
    try {
      const before = fs.readFileSync(paths.events(id));
      const refused = await maosOk(["recover", "restore", cp.id], {
        cwd: dir,
        code: 3,
      });
      assertIncludes(refused.stderr, "running");
      assertIncludes(refused.stderr, `pid ${holder.pid}`);
      const interval = await maosOk(
        ["orchestration", "save-interval", "10", id],
        { cwd: dir, code: 3 },
      );
      assertIncludes(interval.stderr, "running");
      assertEquals(fs.readFileSync(paths.events(id)), before);
      // Checkpointing a live orchestration still works, from its files.
      await maosOk(["recover", "checkpoint", "--orchestration", id], {
        cwd: dir,
      });
      assertEquals(fs.readFileSync(paths.events(id)), before);
    } finally {
      await holder.release();
    }
    await maosOk(["orchestration", "save-interval", "10", id], { cwd: dir });
    assertEquals(readSnapshot(paths, id)!.state.saveIntervalSeconds, 10);
    await maosOk(["orchestration", "save-interval", "45"], { cwd: dir });
    const config = JSON.parse(fs.readFileSync(paths.config, "utf8"));
    assertEquals(config.saveIntervalSeconds, 45);
  });
});

Deno.test("recover restore --fork leaves the original byte-identical and makes a new orchestration", async () => {
  await withMaos(async (paths, dir) => {
    const id = await makeOrchestration(paths, (j) => completeTask(j, "t1"));
    const cp = (await maosOk(["--json", "recover", "checkpoint"], { cwd: dir }))
      .json<CheckpointRow>();
    await appendTo(paths, id, (j) => completeTask(j, "t2"));
    const original = await treeHash(paths.orchestration(id));
    const forked = (await maosOk(
      ["--json", "recover", "restore", cp.id, "--fork"],
      { cwd: dir },
    )).json<{ orchestrations: { target: string }[] }>();
    const fork = forked.orchestrations[0].target;
    assert(fork && fork !== id);
    assertEquals(await treeHash(paths.orchestration(id)), original);
    const list = (await maosOk(["--json", "orchestration", "list"], {
      cwd: dir,
    })).json<{ id: string; status: string }[]>();
    assertEquals(
      new Set(list.map((o) => o.id)),
      new Set([id, fork]),
    );
    const status = (await maosOk(
      ["--json", "orchestration", "status", fork],
      { cwd: dir },
    )).json<{ status: string; progress: { completed: number } }>();
    assertEquals(status.status, "paused");
    assertEquals(status.progress.completed, 1);
  });
});

Deno.test("recover cleanup --keep, --older-than and --dry-run; bad numbers exit 2", async () => {
  await withMaos(async (paths, dir) => {
    await makeOrchestration(paths);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(
        (await maosOk(["--json", "recover", "checkpoint", "--name", `c${i}`], {
          cwd: dir,
        })).json<CheckpointRow>().id,
      );
    }
    // Age the oldest two by 40 days.
    for (const id of ids.slice(0, 2)) {
      const file = paths.checkpoint(id);
      const cp = JSON.parse(fs.readFileSync(file, "utf8"));
      cp.createdAt = new Date(Date.now() - 40 * 86_400_000).toISOString();
      fs.writeFileSync(file, JSON.stringify(cp, null, 2) + "\n");
    }
    const before = await treeHash(paths.root);
    const dry = (await maosOk(
      ["--json", "recover", "cleanup", "--keep", "1", "--dry-run"],
      { cwd: dir },
    )).json<{ dryRun: boolean; removed: CheckpointRow[] }>();
    assertEquals(dry.dryRun, true);
    assertEquals(dry.removed.map((c) => c.name).sort(), ["c0", "c1", "c2"]);
    assertEquals(await treeHash(paths.root), before);

    const old = (await maosOk(
      ["--json", "recover", "cleanup", "--older-than", "30"],
      { cwd: dir },
    )).json<{ removed: CheckpointRow[] }>();
    assertEquals(old.removed.map((c) => c.name).sort(), ["c0", "c1"]);

    await maosOk(["recover", "cleanup", "--keep", "1"], { cwd: dir });
    const left = (await maosOk(["--json", "recover", "list"], { cwd: dir }))
      .json<CheckpointRow[]>();
    assertEquals(left.map((c) => c.name), ["c3"]);

    for (
      const args of [
        ["recover", "cleanup", "--keep", "-1"],
        ["recover", "cleanup", "--older-than", "soon"],
        ["recover", "list", "--limit", "0"],
        ["orchestration", "save-interval", "abc"],
        ["orchestration", "save-interval", "0"],
        ["recover", "restore", "zz"],
        ["recover", "info", "ffff"],
      ]
    ) {
      const run = await maosOk(args, { cwd: dir, code: 2 });
      assert(!run.stderr.includes("    at "), `no stack trace: ${run.stderr}`);
    }
  });
});

Deno.test("recover export writes the checkpoint as a portable file; delete removes it", async () => {
  await withMaos(async (paths, dir) => {
    await makeOrchestration(paths);
    const cp = (await maosOk(["--json", "recover", "checkpoint"], { cwd: dir }))
      .json<CheckpointRow>();
    await maosOk(["recover", "export", cp.id, "cp.json"], { cwd: dir });
    assertEquals(
      fs.readFileSync(path.join(dir, "cp.json"), "utf8"),
      fs.readFileSync(paths.checkpoint(cp.id), "utf8"),
    );
    const deleted = await maosOk(["recover", "delete", cp.id.slice(0, 6)], {
      cwd: dir,
    });
    assertIncludes(deleted.stdout, "Deleted");
    assert(!fs.existsSync(paths.checkpoint(cp.id)));
    await maosOk(["recover", "delete", cp.id], { cwd: dir, code: 2 });
  });
});

Deno.test("every recover and orchestration extra command has help with examples", async () => {
  for (
    const args of [
      ["recover"],
      ["recover", "checkpoint"],
      ["recover", "list"],
      ["recover", "restore"],
      ["recover", "info"],
      ["recover", "delete"],
      ["recover", "export"],
      ["recover", "cleanup"],
      ["orchestration", "checkpoint"],
      ["orchestration", "save-interval"],
      ["orchestration", "export"],
      ["orchestration", "import"],
    ]
  ) {
    const help = await maosOk([...args, "--help"]);
    assertIncludes(help.stdout, "Examples:");
    assertIncludes(help.stdout, `maos ${args.join(" ")}`);
  }
});
