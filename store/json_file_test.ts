import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import {
  DurableJsonFile,
  openJsonDb,
  parseJsonFile,
  readTextFile,
  toJsonText,
} from "./json_file.ts";
import {
  assertEquals,
  assertIncludes,
  assertMaosError,
  assertRejectsMaos,
  withTempDir,
} from "./_test_util.ts";
import { ConfigSchema } from "./schema.ts";

const Schema = z.object({ formatVersion: z.literal(1), count: z.number() });
type Data = z.infer<typeof Schema>;

Deno.test("toJsonText is 2-space JSON with LF and a trailing newline, keys in build order", () => {
  assertEquals(
    toJsonText({ b: 1, a: [1, { c: "x" }] }),
    '{\n  "b": 1,\n  "a": [\n    1,\n    {\n      "c": "x"\n    }\n  ]\n}\n',
  );
});

Deno.test("parseJsonFile turns invalid JSON into corruption (code 4) naming the path", () => {
  const err = assertMaosError(
    () => parseJsonFile("/x/.maos/state.json", '{"count": ', Schema),
    4,
    "/x/.maos/state.json",
    "not valid JSON",
  );
  assertIncludes(err.hint ?? "", "nothing was changed");
});

Deno.test("parseJsonFile turns a schema mismatch into corruption naming the path and the field", () => {
  assertMaosError(
    () =>
      parseJsonFile(
        "/x/maos.json",
        '{"formatVersion": 1, "count": "three"}',
        Schema,
      ),
    4,
    "/x/maos.json",
    "count",
  );
  assertMaosError(
    () =>
      parseJsonFile("/x/maos.json", '{"formatVersion": 2, "count": 1}', Schema),
    4,
    "newer maos (format 2",
  );
  assertEquals(
    parseJsonFile("/x/maos.json", '{"formatVersion":1,"count":3}', Schema),
    { formatVersion: 1, count: 3 },
  );
});

Deno.test("DurableJsonFile reads null for a missing file and round-trips what it wrote", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "data.json");
    const adapter = new DurableJsonFile<Data>(file, Schema);
    assertEquals(adapter.readSync(), null);
    adapter.writeSync({ formatVersion: 1, count: 2 });
    assertEquals(adapter.readSync(), { formatVersion: 1, count: 2 });
    assertEquals(
      fs.readFileSync(file, "utf8"),
      '{\n  "formatVersion": 1,\n  "count": 2\n}\n',
    );
    assertEquals(fs.readdirSync(dir), ["data.json"]);
  });
});

Deno.test("a lowdb database on the durable adapter persists, and a corrupt file is refused", async () => {
  await withTempDir(async (dir) => {
    const file = path.join(dir, "data.json");
    const db = await openJsonDb<Data>(file, Schema, {
      formatVersion: 1,
      count: 0,
    });
    assertEquals(db.data.count, 0);
    await db.update((data) => {
      data.count = 41;
    });
    const again = await openJsonDb<Data>(file, Schema, {
      formatVersion: 1,
      count: 0,
    });
    assertEquals(again.data.count, 41);

    fs.writeFileSync(file, '{"formatVersion": 1, "count": 4');
    const before = fs.readFileSync(file);
    await assertRejectsMaos(
      () => openJsonDb<Data>(file, Schema, { formatVersion: 1, count: 0 }),
      4,
      file,
    );
    assertEquals(fs.readFileSync(file), before);
  });
});

Deno.test("a JSON syntax error is one line that does not quote the file; a newer format says so", () => {
  assertMaosError(
    () => parseJsonFile("/x/maos.json", "junk{\n  more\n", ConfigSchema),
    4,
    "/x/maos.json is not valid JSON",
  );
  try {
    parseJsonFile("/x/maos.json", "junk{\n  more\n", ConfigSchema);
  } catch (err) {
    assertEquals((err as Error).message.includes("\n"), false);
    assertEquals((err as Error).message.includes("junk"), false);
  }
  assertMaosError(
    () => parseJsonFile("/x/maos.json", '{"formatVersion": 99}', ConfigSchema),
    4,
    "written by a newer maos (format 99",
  );
});

Deno.test("readTextFile reads small, empty, multi-byte and larger-than-its-buffer files whole", async () => {
  await withTempDir((dir) => {
    const texts = ["", "{}\n", "é✓ ".repeat(10), "x".repeat(200_000) + "é"];
    texts.forEach((text, i) => {
      const file = path.join(dir, `f${i}.json`);
      fs.writeFileSync(file, text);
      assertEquals(readTextFile(file), text);
    });
    // After a big file, a small one is not mixed with the big one's bytes.
    assertEquals(readTextFile(path.join(dir, "f1.json")), "{}\n");
    return Promise.resolve();
  });
});
