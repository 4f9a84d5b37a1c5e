/**
 * The cost of recording an agent's files (lib/git/files_commit.ts) in a
 * repository of 1000 files, against `git status` on the same tree (what a
 * person pays to see what changed). Run: deno bench -A tests/bench/files_save_bench.ts
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { commitFiles } from "../../lib/git/files_commit.ts";
import { git } from "../../lib/git/git.ts";

const FILES = 1000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "maos-bench-files-"));
await git(dir, ["init", "-q"]);
for (let i = 0; i < FILES; i++) {
  const sub = path.join(dir, `d${i % 40}`);
  fs.mkdirSync(sub, { recursive: true });
  fs.writeFileSync(path.join(sub, `f${i}.ts`), `export const x${i} = ${i};\n`);
}
await git(dir, ["add", "-A"]);
await git(dir, [
  "-c",
  "user.name=b",
  "-c",
  "user.email=b@b",
  "commit",
  "-qm",
  "x",
]);
let previous = await commitFiles(dir, "refs/maos/bench/a", null, "bench");
let n = 0;

globalThis.addEventListener("unload", () => {
  fs.rmSync(dir, { recursive: true, force: true });
});

Deno.bench("git status (1000 files)", {
  group: "files save",
  baseline: true,
}, async () => {
  await git(dir, ["status", "--porcelain"]);
});

Deno.bench("files save, nothing changed", { group: "files save" }, async () => {
  previous = await commitFiles(dir, "refs/maos/bench/a", previous, "bench");
});

Deno.bench(
  "files save, one file changed",
  { group: "files save" },
  async () => {
    fs.writeFileSync(path.join(dir, "d1", "f1.ts"), `changed ${n++}\n`);
    previous = await commitFiles(dir, "refs/maos/bench/a", previous, "bench");
  },
);
