/**
 * `deno task compile`: write dist/maos, one executable that needs no Deno,
 * npm or node_modules. `deno compile` downloads its runtime, which these
 * machines cannot, so the offline route is Bun's compiler on the same code
 * (it only uses web APIs and node: built-ins). With internet access,
 * `deno compile -A --output dist/maos main.ts` works as well.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";

const outfile = "dist/maos";
fs.mkdirSync("dist", { recursive: true });
const bun = findBun();
// --bytecode (with --minify) precompiles the program: it starts about twice
// as fast. It needs main.ts free of top-level await. --splitting (ESM) keeps
// the command tree in its own chunk, loaded only past `--version`.
const result = spawnSync(bun[0], [
  ...bun.slice(1),
  "build",
  "--compile",
  "--minify",
  "--bytecode",
  "--splitting",
  "--format=esm",
  "main.ts",
  "--outfile",
  outfile,
], {
  stdio: "inherit",
});
if (result.status !== 0) {
  console.error(
    `compile: bun build failed (exit ${result.status ?? result.signal})`,
  );
  process.exit(1);
}
const check = spawnSync(outfile, ["--version"], { encoding: "utf8" });
if (check.status !== 0) {
  console.error(`compile: ${outfile} --version failed: ${check.stderr}`);
  process.exit(1);
}
console.log(
  `✓ ${outfile} (${
    (fs.statSync(outfile).size / 1e6).toFixed(0)
  } MB), maos ${check.stdout.trim()}`,
);

/** bun on PATH, else the npm package through npx. */
function findBun(): string[] {
  const probe = spawnSync("bun", ["--version"], { encoding: "utf8" });
  return probe.status === 0 ? ["bun"] : ["npx", "-y", "bun@1.4.5"];
}
