import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { VERSION } from "../version.ts";
import { assert, assertEquals } from "./_test_assert.ts";
import {
  agentPath,
  maosBinDir,
  maosCommand,
  removeMaosBinDir,
  shimScript,
} from "./maos_self.ts";

const SRC = "file:///src/maos/lib/drivers/maos_self.ts";

Deno.test("maos runs itself: deno run of its own main.ts from source, the binary when compiled", () => {
  const deno = { execPath: "/usr/bin/deno", versions: { deno: "2" } };
  const run = maosCommand(deno, SRC);
  assertEquals(run[0], "/usr/bin/deno");
  assertEquals(run.at(-1), "/src/maos/main.ts");
  assertEquals(run.slice(1, 3), ["run", "-A"]);
  assertEquals(
    maosCommand({ execPath: "/usr/bin/bun", versions: { bun: "1" } }, SRC),
    ["/usr/bin/bun", "/src/maos/main.ts"],
  );
  // bun build --compile: modules live in /$bunfs/.
  assertEquals(
    maosCommand(
      { execPath: "/opt/maos", versions: { bun: "1" } },
      "file:///$bunfs/root/maos",
    ),
    ["/opt/maos"],
  );
  // deno compile: the modules are files, but the executable is not deno.
  assertEquals(
    maosCommand({ execPath: "/opt/maos", versions: { deno: "2" } }, SRC),
    ["/opt/maos"],
  );
});

Deno.test("the source run names maos's own deno.json, so an agent's project config does not apply", () => {
  const run = maosCommand();
  assertEquals(run[0], Deno.execPath());
  const config = run[run.indexOf("--config") + 1];
  assertEquals(path.basename(config), "deno.json");
  assert(fs.existsSync(config));
  assert(fs.existsSync(run.at(-1)!));
});

Deno.test("the shim quotes every word and passes its arguments on", () => {
  assertEquals(
    shimScript(["/opt/it's maos", "x"]).split("\n")[2],
    `exec '/opt/it'\\''s maos' 'x' "$@"`,
  );
});

Deno.test("`maos` on an agent's PATH runs this maos", () => {
  const dir = maosBinDir();
  assertEquals(maosBinDir(), dir);
  assert(agentPath("/usr/bin:/bin").startsWith(`${dir}${path.delimiter}`));
  const elsewhere = Deno.makeTempDirSync({ prefix: "maos-shim-cwd-" });
  try {
    const out = execFileSync("sh", ["-c", "maos --version"], {
      cwd: elsewhere,
      env: { ...Deno.env.toObject(), PATH: agentPath() },
      encoding: "utf8",
    });
    assertEquals(out.trim(), VERSION);
  } finally {
    Deno.removeSync(elsewhere, { recursive: true });
    removeMaosBinDir();
  }
});

Deno.test("a shim folder of a maos that was killed is removed once it is a day old", () => {
  const dead = 2 ** 22 + 12345; // above Linux's pid_max: never a live process
  const old = fs.mkdtempSync(path.join(os.tmpdir(), `maos-bin-${dead}-`));
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), `maos-bin-${dead}-`));
  try {
    const dayAgo = new Date(Date.now() - 25 * 3600_000);
    fs.utimesSync(old, dayAgo, dayAgo);
    removeMaosBinDir();
    maosBinDir();
    assert(!fs.existsSync(old), "the day-old folder is gone");
    assert(fs.existsSync(fresh), "a recent one is kept");
  } finally {
    fs.rmSync(old, { recursive: true, force: true });
    fs.rmSync(fresh, { recursive: true, force: true });
    removeMaosBinDir();
  }
});
