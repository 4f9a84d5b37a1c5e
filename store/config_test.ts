import * as fs from "node:fs";
import * as path from "node:path";
import {
  ensureWorktreesIgnored,
  findOrCreateMaosDir,
  GITATTRIBUTES_TEXT,
  GITIGNORE_TEXT,
  initMaosDir,
  loadConfig,
  updateConfig,
} from "./config.ts";
import { MaosPaths } from "./paths.ts";
import { assertEquals, assertRejectsMaos, withTempDir } from "./_test_util.ts";

Deno.test("init creates maos.json, .gitignore, .gitattributes and the two folders, and a second init changes nothing", async () => {
  await withTempDir(async (dir) => {
    const root = path.join(dir, ".maos");
    assertEquals((await initMaosDir(root)).created, true);
    const paths = new MaosPaths(root);
    assertEquals(fs.readdirSync(root).sort(), [
      ".gitattributes",
      ".gitignore",
      "checkpoints",
      "maos.json",
      "orchestrations",
    ]);
    assertEquals(fs.readFileSync(paths.gitignore, "utf8"), GITIGNORE_TEXT);
    assertEquals(
      fs.readFileSync(paths.gitattributes, "utf8"),
      GITATTRIBUTES_TEXT,
    );
    const config = await loadConfig(paths);
    assertEquals(config.formatVersion, 1);
    assertEquals(config.saveIntervalSeconds, 30);
    assertEquals(config.durability, "batched");
    assertEquals(config.checkpoints.keepAuto, 20);

    await updateConfig(paths, (c) => {
      c.durability = "strict";
    });
    const text = fs.readFileSync(paths.config, "utf8");
    assertEquals((await initMaosDir(root)).created, false);
    assertEquals(fs.readFileSync(paths.config, "utf8"), text);
    assertEquals((await loadConfig(paths)).durability, "strict");
  });
});

Deno.test("a .gitignore from before worktrees gains the worktrees line once, its own lines kept", async () => {
  // deno-lint-ignore require-await
  await withTempDir(async (dir) => {
    const root = path.join(dir, ".maos");
    const paths = new MaosPaths(root);
    fs.mkdirSync(root);
    fs.writeFileSync(paths.gitignore, "*.lock\nmine.txt");
    ensureWorktreesIgnored(paths);
    ensureWorktreesIgnored(paths);
    assertEquals(
      fs.readFileSync(paths.gitignore, "utf8"),
      "*.lock\nmine.txt\n/worktrees/\n",
    );
    fs.rmSync(paths.gitignore);
    ensureWorktreesIgnored(paths);
    assertEquals(fs.readFileSync(paths.gitignore, "utf8"), GITIGNORE_TEXT);
  });
});

Deno.test("findOrCreateMaosDir creates .maos in cwd only when none is found", async () => {
  await withTempDir(async (dir) => {
    const sub = path.join(dir, "sub");
    fs.mkdirSync(sub);
    const created = await findOrCreateMaosDir({ cwd: dir, env: {} });
    assertEquals(created, path.join(dir, ".maos"));
    assertEquals(await findOrCreateMaosDir({ cwd: sub, env: {} }), created);
    assertEquals(fs.existsSync(path.join(sub, ".maos")), false);
  });
});

Deno.test("an invalid maos.json is code 4 naming it, and is not overwritten", async () => {
  await withTempDir(async (dir) => {
    const root = path.join(dir, ".maos");
    await initMaosDir(root);
    const paths = new MaosPaths(root);
    fs.writeFileSync(paths.config, '{"formatVersion":1,"durability":"fast"}');
    await assertRejectsMaos(
      () => loadConfig(paths),
      4,
      paths.config,
      "durability",
    );
    await assertRejectsMaos(() => updateConfig(paths, () => {}), 4);
    assertEquals(
      fs.readFileSync(paths.config, "utf8"),
      '{"formatVersion":1,"durability":"fast"}',
    );
  });
});
