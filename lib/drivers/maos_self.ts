/**
 * The `maos` an agent runs is the maos that started it: the compiled binary,
 * or `deno run` of this very source tree. Agents get a folder with a small
 * `maos` shell script first on their PATH, and the MCP server (`maos mcp`)
 * is started with the same command.
 *
 * @module
 */

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { processAlive } from "../../store/lock.ts";

/** What {@link maosCommand} looks at (the running process, by default). */
export interface SelfProcess {
  execPath: string;
  versions: Record<string, string | undefined>;
}

/**
 * argv (executable first) that runs this maos, whoever imports it: a source
 * run gives `deno run -A --config DENO_JSON /abs/main.ts` (or `bun /abs/main.ts`),
 * a compiled binary gives itself. Found from this module's own URL, not from
 * process.argv, so it is right under `deno test` too.
 *
 * @example
 * maosCommand(); // ["/usr/bin/deno", "run", "-A", "--config", "/src/maos/deno.json", "/src/maos/main.ts"]
 */
export function maosCommand(
  proc: SelfProcess = process,
  moduleUrl: string = import.meta.url,
): string[] {
  const exec = proc.execPath;
  const runtime = path.basename(exec).replace(/\.exe$/i, "").toLowerCase();
  // A compiled binary embeds its modules (bun: /$bunfs/ or B:/~BUN/).
  const embedded = !moduleUrl.startsWith("file:") ||
    moduleUrl.includes("$bunfs") || moduleUrl.includes("~BUN");
  if (embedded || (runtime !== "deno" && runtime !== "bun")) return [exec];
  const root = path.resolve(path.dirname(fileURLToPath(moduleUrl)), "../..");
  const main = path.join(root, "main.ts");
  if (runtime === "bun") return [exec, main];
  // The agent works in another directory, maybe with its own deno.json:
  // name maos's own config so its imports resolve.
  const config = path.join(root, "deno.json");
  return fs.existsSync(config)
    ? [exec, "run", "-A", "--config", config, main]
    : [exec, "run", "-A", main];
}

/**
 * A POSIX shell script that runs `argv` with the script's own arguments.
 *
 * @example
 * shimScript(["/opt/maos"]); // "#!/bin/sh\n…\nexec '/opt/maos' \"$@\"\n"
 */
export function shimScript(argv: string[]): string {
  const quoted = argv.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
  return [
    "#!/bin/sh",
    "# The maos that started this agent (written by maos; removed when it exits).",
    `exec ${quoted} "$@"`,
    "",
  ].join("\n");
}

let binDir: string | undefined;

/**
 * A private temp folder (made once per maos process, removed when it exits;
 * after a kill -9, by a later maos once it is a day old) holding the `maos`
 * shim: machine-local, never under `.maos/`, so no absolute path of this
 * machine is committed.
 */
export function maosBinDir(): string {
  if (binDir && fs.existsSync(path.join(binDir, "maos"))) return binDir;
  removeStaleBinDirs();
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), `maos-bin-${process.pid}-`),
  );
  fs.writeFileSync(path.join(dir, "maos"), shimScript(maosCommand()), {
    mode: 0o755,
  });
  if (!exitHook) {
    exitHook = true;
    process.once("exit", removeMaosBinDir);
  }
  binDir = dir;
  return dir;
}

let exitHook = false;

/** Remove this process's shim folder (at exit; tests call it themselves). */
export function removeMaosBinDir(): void {
  if (binDir) fs.rmSync(binDir, { recursive: true, force: true });
  binDir = undefined;
}

/** A folder left by a maos that was killed (kill -9) is removed a day later. */
const STALE_BIN_DIR_MS = 24 * 3600_000;

/**
 * maos's private temp folders, named after the maos process that made them:
 * the shim's, a shell turn's prompt and inbox, a turn's token file.
 */
const TEMP_DIR_OF_PID = /^maos-(?:bin|turn|token)-(\d+)-/;

/**
 * Remove the temp folders a maos that is gone (kill -9) could not, once a
 * day old: a pid alive in another PID namespace sharing /tmp looks dead here.
 */
function removeStaleBinDirs(): void {
  const tmp = os.tmpdir();
  let names: string[];
  try {
    names = fs.readdirSync(tmp);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(TEMP_DIR_OF_PID.exec(name)?.[1]);
    if (!pid || pid === process.pid || processAlive(pid)) continue;
    const dir = path.join(tmp, name);
    try {
      const stat = fs.statSync(dir);
      if (Date.now() - stat.mtimeMs < STALE_BIN_DIR_MS) continue;
      fs.rmSync(dir, { recursive: true, force: true });
    } catch { /* another maos removed it, or it is not ours */ }
  }
}

/**
 * The PATH an agent gets: the shim folder first, then maos's own PATH.
 *
 * @example
 * agentPath("/usr/bin:/bin"); // "/tmp/maos-bin-Ab12Cd/:/usr/bin:/bin"
 */
export function agentPath(base: string | undefined = process.env.PATH): string {
  return base ? `${maosBinDir()}${path.delimiter}${base}` : maosBinDir();
}
