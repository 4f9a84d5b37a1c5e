/** `maos orchestration export | import`, run as the real program. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { MaosPaths } from "../../store/paths.ts";
import { JsonlAppender } from "../../store/jsonl_appender.ts";
import {
  assert,
  assertEquals,
  assertIncludes,
} from "../../store/_test_util.ts";
import {
  completeTask,
  makeOrchestration,
  maosOk,
  removeTemp,
  startTask,
  tempMaos,
  treeHash,
} from "../fixtures/recovery_fixture.ts";

async function withTwo(
  fn: (from: MaosPaths, to: MaosPaths) => Promise<void>,
) {
  const from = await tempMaos();
  const to = await tempMaos();
  try {
    await fn(from, to);
  } finally {
    await removeTemp(from);
    await removeTemp(to);
  }
}

async function exported(
  from: MaosPaths,
): Promise<{ id: string; file: string }> {
  const id = await makeOrchestration(from, (j) => {
    completeTask(j, "t1");
    startTask(j, "t2");
  });
  const out = new JsonlAppender(from.agentOutput(id, "analyst-001"));
  out.append({ line: "analysis done" });
  out.close();
  const file = path.join(path.dirname(from.root), "audit.maos.json");
  const run = await maosOk(
    ["--json", "orchestration", "export", id.slice(0, 5), "audit.maos.json"],
    { cwd: path.dirname(from.root) },
  );
  assertEquals(run.json<{ id: string }>().id, id);
  return { id, file };
}

Deno.test("orchestration export then import into another .maos reproduces state, log and output byte for byte", async () => {
  await withTwo(async (from, to) => {
    const { id, file } = await exported(from);
    const imported = await maosOk(
      ["--json", "--dir", to.root, "orchestration", "import", file],
    );
    assertEquals(imported.json<{ id: string }>().id, id);
    assertEquals(
      await treeHash(to.orchestration(id)),
      await treeHash(from.orchestration(id)),
    );
    for (const name of ["state.json", "events.jsonl"]) {
      assertEquals(
        fs.readFileSync(path.join(to.orchestration(id), name)),
        fs.readFileSync(path.join(from.orchestration(id), name)),
      );
    }
    const status = (await maosOk(
      ["--json", "--dir", to.root, "orchestration", "status", id],
    )).json<{ status: string; progress: { completed: number } }>();
    // It was running when exported; here no process runs it.
    assertEquals(status.status, "interrupted");
    assertEquals(status.progress.completed, 1);
    await maosOk(["--dir", to.root, "doctor"]);
  });
});

Deno.test("import of a damaged file exits 4, of an id already present exits 2, and writes nothing", async () => {
  await withTwo(async (from, to) => {
    const { file } = await exported(from);
    const bytes = fs.readFileSync(file);
    const at = bytes.indexOf(new TextEncoder().encode("t1 found something"));
    assert(at > 0);
    const flipped = Uint8Array.from(bytes);
    flipped[at + 3] ^= 0x02;
    const damaged = file.replace(/\.json$/, ".damaged.json");
    fs.writeFileSync(damaged, flipped);

    const before = await treeHash(to.root);
    const bad = await maosOk(
      ["--dir", to.root, "orchestration", "import", damaged],
      { code: 4 },
    );
    assertIncludes(bad.stderr, "damaged");
    assertEquals(bad.stderr.trim().split("\n").length, 2, bad.stderr); // message + hint
    assertEquals(await treeHash(to.root), before);

    const fromBefore = await treeHash(from.root);
    const again = await maosOk(
      ["--dir", from.root, "orchestration", "import", file],
      { code: 2 },
    );
    assertIncludes(again.stderr, "already present");
    assertEquals(await treeHash(from.root), fromBefore);

    await maosOk(
      ["--dir", to.root, "orchestration", "import", file + ".missing"],
      { code: 2 },
    );
  });
});

Deno.test("import creates .maos/ in the current directory when there is none", async () => {
  await withTwo(async (from) => {
    const { id, file } = await exported(from);
    const empty = await Deno.makeTempDir({ prefix: "maos-import-" });
    try {
      await maosOk(["orchestration", "import", file], { cwd: empty });
      assert(fs.existsSync(path.join(empty, ".maos", "maos.json")));
      assert(
        fs.existsSync(
          path.join(empty, ".maos", "orchestrations", id, "events.jsonl"),
        ),
      );
    } finally {
      await Deno.remove(empty, { recursive: true });
    }
  });
});
