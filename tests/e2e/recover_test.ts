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
    const [header, row] = table.stdout.split("\n").filter((l) => /\w/.test(l));
    for (const head of ["ID", "Name", "Kind", "Orchestrations", "Created"]) {
      assertIncludes(header, head);
    }
    assert(!header.includes("Auto"), header);
    assert(/\bmanual\b/.test(row), row);
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
      const line = refused.stderr.split("\n")[0];
      assert(!/\([^)]*\(/.test(line), `nested parentheses: ${line}`);
      const interval = await maosOk(
        ["orchestration", "save-interval", "10", id],
        { cwd: dir, code: 3 },
      );
      assertIncludes(interval.stderr, "running");
      const intervalLine = interval.stderr.split("\n")[0];
      assert(!/\([^)]*\(/.test(intervalLine), intervalLine);
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
    // These are manual checkpoints: without --include-manual nothing goes.
    const kept = (await maosOk(
      ["--json", "recover", "cleanup", "--keep", "0"],
      { cwd: dir },
    )).json<{ removed: CheckpointRow[]; manualKept: number }>();
    assertEquals(kept.removed, []);
    assertEquals(kept.manualKept, 4);
    const said = await maosOk(["recover", "cleanup", "--older-than", "0"], {
      cwd: dir,
    });
    assertIncludes(said.stdout, "Nothing to clean up.");
    assertIncludes(said.stdout, "4 manual checkpoints were left alone");
    assertIncludes(said.stdout, "--include-manual");
    assertEquals(await treeHash(paths.root), before);

    const dry = (await maosOk(
      [
        "--json",
        "recover",
        "cleanup",
        "--keep",
        "1",
        "--dry-run",
        "--include-manual",
      ],
      { cwd: dir },
    )).json<{ dryRun: boolean; removed: CheckpointRow[] }>();
    assertEquals(dry.dryRun, true);
    assertEquals(dry.removed.map((c) => c.name).sort(), ["c0", "c1", "c2"]);
    assertEquals(await treeHash(paths.root), before);

    const old = (await maosOk(
      [
        "--json",
        "recover",
        "cleanup",
        "--older-than",
        "30",
        "--include-manual",
      ],
      { cwd: dir },
    )).json<{ removed: CheckpointRow[] }>();
    assertEquals(old.removed.map((c) => c.name).sort(), ["c0", "c1"]);

    await maosOk(["recover", "cleanup", "--keep", "1", "--include-manual"], {
      cwd: dir,
    });
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
        ["recover", "cleanup", "--include-manual"],
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
      ["recover", "import"],
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

Deno.test("recover list with a damaged checkpoint file lists the rest, warns naming it, and exits 0; --json stays the pure array", async () => {
  await withMaos(async (paths, dir) => {
    const id = await makeOrchestration(paths);
    const good = (await maosOk(
      ["--json", "recover", "checkpoint", "--name", "good"],
      { cwd: dir },
    )).json<CheckpointRow>();
    const bad = (await maosOk(
      ["--json", "recover", "checkpoint", "--name", "bad"],
      { cwd: dir },
    )).json<CheckpointRow>();
    const file = paths.checkpoint(bad.id);
    fs.writeFileSync(file, '{"formatVersion":1,"id":');

    const json = await maosOk(["--json", "recover", "list"], { cwd: dir });
    assertEquals(json.json<CheckpointRow[]>(), [good]);
    const table = await maosOk(["recover", "list"], { cwd: dir });
    assertIncludes(table.stdout, "good");
    assert(!table.stdout.includes("bad"), table.stdout);
    const warning = table.stderr.split("\n").find((l) => l.includes(file));
    assert(warning, table.stderr);
    assertIncludes(warning, "maos doctor");
    assertIncludes(warning, `maos recover delete ${bad.id.slice(0, 8)}`);
    // Filtered, and with --quiet, the warning is still there.
    const quiet = await maosOk(
      ["--quiet", "recover", "list", "--orchestration", id],
      { cwd: dir },
    );
    assertIncludes(quiet.stderr, file);

    for (const args of [["info"], ["restore"], ["export", "out.json"]]) {
      const [sub, ...rest] = args;
      const run = await maosOk(["recover", sub, bad.id, ...rest], {
        cwd: dir,
        code: 4,
      });
      assertIncludes(run.stderr, file);
    }
    assert(!fs.existsSync(path.join(dir, "out.json")));

    await maosOk(["recover", "checkpoint", "--name", "after"], { cwd: dir });
    await maosOk(["recover", "delete", bad.id.slice(0, 6)], { cwd: dir });
    assert(!fs.existsSync(file));
    const clean = await maosOk(["recover", "list"], { cwd: dir });
    assertEquals(clean.stderr, "");
  });
});

Deno.test("recover checkpoint --name refuses a name already taken (exit 2)", async () => {
  await withMaos(async (paths, dir) => {
    const id = await makeOrchestration(paths);
    await maosOk(["recover", "checkpoint", "--name", "v1"], { cwd: dir });
    const again = await maosOk(
      ["orchestration", "checkpoint", id, "--name", "v1"],
      { cwd: dir, code: 2 },
    );
    assertIncludes(again.stderr, "'v1' already exists");
    assertIncludes(again.stderr, "maos recover delete");
    const list = (await maosOk(["--json", "recover", "list"], { cwd: dir }))
      .json<CheckpointRow[]>();
    assertEquals(list.map((c) => c.name), ["v1"]);
  });
});

Deno.test("recover import brings an exported checkpoint back; a damaged file exits 4, an id already present exits 2", async () => {
  await withMaos(async (paths, dir) => {
    const id = await makeOrchestration(paths, (j) => completeTask(j, "t1"));
    const cp = (await maosOk(
      ["--json", "recover", "checkpoint", "--name", "keep-me"],
      { cwd: dir },
    )).json<CheckpointRow>();
    const stored = fs.readFileSync(paths.checkpoint(cp.id), "utf8");
    await maosOk(["recover", "export", cp.id, "cp.json"], { cwd: dir });
    await maosOk(["recover", "delete", cp.id], { cwd: dir });

    const imported = await maosOk(["recover", "import", "cp.json"], {
      cwd: dir,
    });
    assertIncludes(imported.stdout, "Imported checkpoint");
    assertIncludes(imported.stdout, "keep-me");
    assertEquals(fs.readFileSync(paths.checkpoint(cp.id), "utf8"), stored);
    const again = await maosOk(["recover", "import", "cp.json"], {
      cwd: dir,
      code: 2,
    });
    assertIncludes(again.stderr, "already present");

    fs.writeFileSync(path.join(dir, "cut.json"), stored.slice(0, 100));
    const before = await treeHash(paths.root);
    const cut = await maosOk(["recover", "import", "cut.json"], {
      cwd: dir,
      code: 4,
    });
    assertIncludes(cut.stderr, path.join(dir, "cut.json"));
    assertEquals(await treeHash(paths.root), before);

    const restored = (await maosOk(
      ["--json", "recover", "restore", cp.id.slice(0, 4)],
      { cwd: dir },
    )).json<{ orchestrations: { target: string }[] }>();
    assertEquals(restored.orchestrations[0].target, id);
  });
});

Deno.test("orchestration save-interval is bounded to 1..86400 seconds (exit 2, nothing written)", async () => {
  await withMaos(async (paths, dir) => {
    const id = await makeOrchestration(paths);
    const config = fs.readFileSync(paths.config, "utf8");
    const log = fs.readFileSync(paths.events(id));
    for (const value of ["99999999", "86401", "0.5"]) {
      for (const extra of [[], [id]]) {
        const run = await maosOk(
          ["orchestration", "save-interval", value, ...extra],
          { cwd: dir, code: 2 },
        );
        assertIncludes(run.stderr, "1 to 86400 seconds");
      }
    }
    assertEquals(fs.readFileSync(paths.config, "utf8"), config);
    assertEquals(fs.readFileSync(paths.events(id)), log);
    await maosOk(["orchestration", "save-interval", "86400"], { cwd: dir });
    await maosOk(["orchestration", "save-interval", "1", id], { cwd: dir });
    assertEquals(readSnapshot(paths, id)!.state.saveIntervalSeconds, 1);
  });
});

Deno.test("a damaged checkpoint file does not stop the auto-checkpoints of a run, and is left in place", async () => {
  await withMaos(async (paths, dir) => {
    const damaged = paths.checkpoint("0123456789ab");
    fs.writeFileSync(damaged, "{");
    const config = JSON.parse(fs.readFileSync(paths.config, "utf8"));
    config.checkpoints.keepAuto = 1; // so every task after the first prunes
    fs.writeFileSync(paths.config, JSON.stringify(config, null, 2) + "\n");
    const plan = path.join(dir, "plan.json");
    fs.writeFileSync(
      plan,
      JSON.stringify({
        agents: [{ id: "worker-001", role: "worker" }],
        tasks: ["a", "b", "c"].map((id, i) => ({
          id,
          agent: "worker-001",
          title: `Step ${id}`,
          dependsOn: i ? [["a", "b", "c"][i - 1]] : [],
          run: `echo ${id}`,
        })),
      }),
    );
    const run = await maosOk(["orchestrate", "Three steps", "--plan", plan], {
      cwd: dir,
    });
    assert(!run.stderr.includes("auto-checkpoint failed"), run.stderr);
    const list = (await maosOk(["--json", "recover", "list"], { cwd: dir }))
      .json<CheckpointRow[]>();
    assertEquals(list.map((c) => c.auto), [true]);
    assert(fs.existsSync(damaged));
  });
});
