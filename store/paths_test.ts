import * as fs from "node:fs";
import * as path from "node:path";
import { findOrCreateMaosDir, initMaosDir } from "./config.ts";
import { findMaosDir, MaosPaths, requireMaosDir } from "./paths.ts";
import {
  assertEquals,
  assertMaosError,
  assertRejectsMaos,
  withTempDir,
} from "./_test_util.ts";

Deno.test("findMaosDir finds .maos in the directory itself or the nearest ancestor", async () => {
  await withTempDir((dir) => {
    const outer = path.join(dir, ".maos");
    const inner = path.join(dir, "a", ".maos");
    const deep = path.join(dir, "a", "b", "c");
    fs.mkdirSync(outer);
    fs.mkdirSync(inner, { recursive: true });
    fs.mkdirSync(deep, { recursive: true });
    assertEquals(findMaosDir({ cwd: deep, env: {} }), inner);
    assertEquals(findMaosDir({ cwd: path.join(dir, "a"), env: {} }), inner);
    assertEquals(findMaosDir({ cwd: dir, env: {} }), outer);
    // A file called .maos is not a store: keep looking up.
    fs.writeFileSync(path.join(deep, ".maos"), "");
    assertEquals(findMaosDir({ cwd: deep, env: {} }), inner);
  });
});

Deno.test("findMaosDir returns undefined and requireMaosDir is code 2 when there is none", async () => {
  await withTempDir((dir) => {
    if (findMaosDir({ cwd: path.dirname(dir), env: {} })) return; // a .maos above the temp dir
    assertEquals(findMaosDir({ cwd: dir, env: {} }), undefined);
    assertMaosError(
      () => requireMaosDir({ cwd: dir, env: {} }),
      2,
      "no .maos directory",
    );
  });
});

Deno.test("--dir and MAOS_DIR override the search, --dir first, relative to cwd", async () => {
  await withTempDir((dir) => {
    fs.mkdirSync(path.join(dir, ".maos"));
    const other = path.join(dir, "elsewhere");
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, "maos.json"), '{"formatVersion": 1}\n');
    assertEquals(findMaosDir({ cwd: dir, env: { MAOS_DIR: other } }), other);
    assertEquals(
      findMaosDir({ cwd: dir, env: { MAOS_DIR: "elsewhere" } }),
      other,
    );
    assertEquals(
      findMaosDir({ cwd: dir, dir: "x/.maos", env: { MAOS_DIR: other } }),
      path.join(dir, "x", ".maos"),
    );
    assertEquals(findMaosDir({ cwd: dir, dir: other, env: {} }), other);
    // An explicit dir that does not exist is named in the error.
    assertMaosError(
      () => requireMaosDir({ cwd: dir, dir: "missing", env: {} }),
      2,
      path.join(dir, "missing"),
    );
    assertEquals(requireMaosDir({ cwd: dir, env: { MAOS_DIR: other } }), other);
  });
});

Deno.test("MaosPaths lays out the .maos directory of the design", () => {
  const p = new MaosPaths("/w/.maos");
  const id = "0123456789ab";
  assertEquals(p.projectRoot, "/w");
  assertEquals(p.config, "/w/.maos/maos.json");
  assertEquals(p.state(id), `/w/.maos/orchestrations/${id}/state.json`);
  assertEquals(p.events(id), `/w/.maos/orchestrations/${id}/events.jsonl`);
  assertEquals(p.inbox(id), `/w/.maos/orchestrations/${id}/inbox.jsonl`);
  assertEquals(p.lock(id), `/w/.maos/orchestrations/${id}/run.lock`);
  assertEquals(p.checkpoint(id), `/w/.maos/checkpoints/${id}.json`);
});

Deno.test("listing ids ignores names that are not ids", async () => {
  await withTempDir((dir) => {
    const p = new MaosPaths(dir);
    assertEquals(p.listOrchestrationIds(), []);
    fs.mkdirSync(path.join(p.orchestrations, "0123456789ab"), {
      recursive: true,
    });
    fs.mkdirSync(path.join(p.orchestrations, "not-an-id"));
    fs.mkdirSync(p.checkpoints);
    fs.writeFileSync(path.join(p.checkpoints, "aaaaaaaaaaaa.json"), "{}");
    fs.writeFileSync(
      path.join(p.checkpoints, ".aaaaaaaaaaaa.json.1.tmp"),
      "{}",
    );
    fs.writeFileSync(path.join(p.checkpoints, "README"), "");
    assertEquals(p.listOrchestrationIds(), ["0123456789ab"]);
    assertEquals(p.listCheckpointIds(), ["aaaaaaaaaaaa"]);
  });
});

Deno.test("--dir may name the project folder that holds .maos; a folder that is no store is refused", async () => {
  await withTempDir(async (dir) => {
    const store = path.join(dir, ".maos");
    await initMaosDir(store);
    assertEquals(findMaosDir({ cwd: "/", dir, env: {} }), store);
    assertEquals(requireMaosDir({ cwd: "/", dir: store, env: {} }), store);
    const plans = path.join(dir, "plans");
    fs.mkdirSync(plans);
    fs.writeFileSync(path.join(plans, "audit.yaml"), "agents: []\n");
    assertMaosError(
      () => requireMaosDir({ cwd: "/", dir: plans, env: {} }),
      2,
      "is not a maos directory",
    );
    await assertRejectsMaos(
      () => findOrCreateMaosDir({ cwd: "/", dir: plans, env: {} }),
      2,
      "is not empty",
    );
    assertEquals(fs.readdirSync(plans), ["audit.yaml"], "nothing written");
  });
});

Deno.test("a store whose init was cut off (folders, no maos.json) is finished, not refused", async () => {
  await withTempDir(async (dir) => {
    const store = path.join(dir, ".maos");
    fs.mkdirSync(path.join(store, "orchestrations"), { recursive: true });
    assertEquals(requireMaosDir({ cwd: dir, env: {} }), store);
    assertEquals(await findOrCreateMaosDir({ cwd: dir, env: {} }), store);
    assertEquals(fs.existsSync(path.join(store, "maos.json")), true);
  });
});

Deno.test("an empty .maos (init killed at once) is read as an empty store", async () => {
  await withTempDir((dir) => {
    const store = path.join(dir, ".maos");
    fs.mkdirSync(store);
    assertEquals(requireMaosDir({ cwd: dir, env: {} }), store);
  });
});

Deno.test("a .maos holding only a temp file (init killed while writing maos.json) is finished, not refused", async () => {
  await withTempDir(async (dir) => {
    const store = path.join(dir, ".maos");
    fs.mkdirSync(store);
    fs.writeFileSync(path.join(store, ".maos.json.123.abcd.tmp"), "{");
    assertEquals(requireMaosDir({ cwd: dir, env: {} }), store);
    assertEquals(await findOrCreateMaosDir({ cwd: dir, env: {} }), store);
    assertEquals(fs.existsSync(path.join(store, "maos.json")), true);
  });
});
