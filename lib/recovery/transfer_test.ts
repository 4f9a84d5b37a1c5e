import * as fs from "node:fs";
import * as path from "node:path";
import { appendInbox } from "../../store/inbox.ts";
import { JsonlAppender } from "../../store/jsonl_appender.ts";
import type { MaosPaths } from "../../store/paths.ts";
import {
  assert,
  assertEquals,
  assertRejectsMaos,
} from "../../store/_test_util.ts";
import {
  completeTask,
  makeOrchestration,
  removeTemp,
  startTask,
  tempMaos,
  treeHash,
} from "../../tests/fixtures/recovery_fixture.ts";
import { exportOrchestration, importOrchestration } from "./transfer.ts";
import { readSnapshot } from "../../store/journal.ts";

async function withTwo(
  fn: (from: MaosPaths, to: MaosPaths, dir: string) => Promise<void>,
) {
  const from = await tempMaos();
  const to = await tempMaos();
  try {
    await fn(from, to, path.dirname(from.root));
  } finally {
    await removeTemp(from);
    await removeTemp(to);
  }
}

/** An orchestration with agent output, an inbox and a long (attached) message. */
async function richOrchestration(paths: MaosPaths): Promise<string> {
  const id = await makeOrchestration(paths, (j) => {
    completeTask(j, "t1");
    startTask(j, "t2");
  });
  for (const agent of ["analyst-001", "developer-001"]) {
    const out = new JsonlAppender(paths.agentOutput(id, agent));
    out.append({ at: "2026-01-01T00:00:00.000Z", line: `hello from ${agent}` });
    out.close();
  }
  appendInbox(paths, id, {
    at: "2026-01-01T00:00:01.000Z",
    from: "analyst-001",
    to: null,
    kind: "info",
    content: "x".repeat(5000),
  });
  return id;
}

Deno.test("export then import into another .maos reproduces every file byte for byte", async () => {
  await withTwo(async (from, to, dir) => {
    const id = await richOrchestration(from);
    const result = await exportOrchestration(from, id, "out.json", dir);
    assertEquals(result.file, path.join(dir, "out.json"));
    assertEquals(result.agents, 2);
    const doc = JSON.parse(fs.readFileSync(result.file, "utf8"));
    assertEquals(doc.kind, "maos-orchestration-export");
    assertEquals(doc.formatVersion, 1);
    assertEquals(Object.keys(doc.attachments).length, 1);

    const imported = await importOrchestration(to, result.file, "/");
    assertEquals(imported.id, id);
    assertEquals(imported.events, result.events);
    assertEquals(
      await treeHash(to.orchestration(id)),
      await treeHash(from.orchestration(id)),
    );
    // Nothing else is left in the target (no temp folder).
    assertEquals(
      fs.readdirSync(to.root).sort(),
      [
        ".gitattributes",
        ".gitignore",
        "checkpoints",
        "maos.json",
        "orchestrations",
      ],
    );
  });
});

Deno.test("an export without state.json, or with a torn log tail, still imports whole", async () => {
  await withTwo(async (from, to, dir) => {
    const id = await makeOrchestration(from, (j) => completeTask(j, "t1"));
    const expected = readSnapshot(from, id)!;
    fs.rmSync(from.state(id));
    fs.appendFileSync(from.events(id), '{"seq":99,"type":"mess');
    const file = path.join(dir, "torn.json");
    await exportOrchestration(from, id, file, "/");
    await importOrchestration(to, file, "/");
    assertEquals(readSnapshot(to, id), expected);
    const log = fs.readFileSync(to.events(id), "utf8");
    assert(log.endsWith("}\n") && !log.includes('"seq":99'));
  });
});

Deno.test("importing a damaged file fails with exit 4 and writes nothing", async () => {
  await withTwo(async (from, to, dir) => {
    const id = await richOrchestration(from);
    const file = path.join(dir, "out.json");
    await exportOrchestration(from, id, file, "/");
    const bytes = fs.readFileSync(file);
    const text = bytes.toString("utf8");
    const before = await treeHash(to.root);

    // One flipped bit inside the log's text: still valid JSON, wrong checksum.
    const at = text.indexOf("t1 found something");
    const flipped = Uint8Array.from(bytes);
    flipped[at] ^= 0x01;
    fs.writeFileSync(file, flipped);
    await assertRejectsMaos(
      () => importOrchestration(to, file, "/"),
      4,
      "damaged",
      "checksum",
    );

    // Cut short: not JSON at all.
    fs.writeFileSync(file, bytes.subarray(0, bytes.length / 2));
    await assertRejectsMaos(
      () => importOrchestration(to, file, "/"),
      4,
      "damaged",
    );

    // A required field missing.
    const doc = JSON.parse(text);
    delete doc.events;
    fs.writeFileSync(file, JSON.stringify(doc));
    await assertRejectsMaos(
      () => importOrchestration(to, file, "/"),
      4,
      "events",
    );

    assertEquals(await treeHash(to.root), before);
  });
});

Deno.test("importing an id that is already present fails with exit 2 and changes nothing", async () => {
  await withTwo(async (from, _to, dir) => {
    const id = await richOrchestration(from);
    const file = path.join(dir, "out.json");
    await exportOrchestration(from, id, file, "/");
    const before = await treeHash(from.root);
    await assertRejectsMaos(
      () => importOrchestration(from, file, "/"),
      2,
      "already present",
    );
    assertEquals(await treeHash(from.root), before);
  });
});

Deno.test("importing something that is not an export, or no file, is a usage error", async () => {
  await withTwo(async (from, to, dir) => {
    const file = path.join(dir, "other.json");
    fs.writeFileSync(file, '{"formatVersion":1,"name":"x"}\n');
    await assertRejectsMaos(
      () => importOrchestration(to, file, "/"),
      2,
      "not a maos orchestration export",
    );
    await assertRejectsMaos(
      () => importOrchestration(to, path.join(dir, "missing.json"), "/"),
      2,
      "not found",
    );
    const id = await makeOrchestration(from);
    await assertRejectsMaos(
      () => exportOrchestration(from, id, "no/such/dir/x.json", dir),
      2,
      "does not exist",
    );
  });
});
