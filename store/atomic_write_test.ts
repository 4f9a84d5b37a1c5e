import * as fs from "node:fs";
import * as path from "node:path";
import { ensureDir, writeFileAtomic } from "./atomic_write.ts";
import {
  assert,
  assertEquals,
  assertIncludes,
  assertMaosError,
  FIXTURES,
  REPO,
  withTempDir,
} from "./_test_util.ts";
import {
  fillDisk,
  ignoredBecause,
  mountTinyDisk,
  readOnlyDir,
  tinyDiskProbe,
} from "./_test_disk.ts";

Deno.test("writeFileAtomic writes the whole file and replaces an old one", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "state.json");
    writeFileAtomic(file, "first\n");
    assertEquals(fs.readFileSync(file, "utf8"), "first\n");
    const big = "y".repeat(3_000_000);
    writeFileAtomic(file, big);
    assertEquals(fs.readFileSync(file, "utf8"), big);
    writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    assertEquals([...fs.readFileSync(file)], [1, 2, 3]);
    writeFileAtomic(file, "");
    assertEquals(fs.statSync(file).size, 0);
  });
});

Deno.test("writeFileAtomic leaves no temp files behind", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "state.json");
    for (let i = 0; i < 20; i++) writeFileAtomic(file, `version ${i}\n`);
    assertEquals(fs.readdirSync(dir), ["state.json"]);
  });
});

Deno.test("ensureDir creates nested directories and accepts existing ones", async () => {
  await withTempDir((dir) => {
    const deep = path.join(dir, "a", "b", "c");
    ensureDir(deep);
    ensureDir(deep);
    assert(fs.statSync(deep).isDirectory());
  });
});

/** Start the writer fixture; read the target in a loop until it exits. */
async function readWhileRewriting(
  file: string,
  mode: "atomic" | "naive",
  count: number,
  stopAtFirstTear: boolean,
): Promise<{ reads: number; torn: string[]; writerOutput: string }> {
  fs.writeFileSync(file, JSON.stringify({ n: 0, len: 1, pad: "x" }) + "\n");
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      FIXTURES + "store_atomic_writer.ts",
      file,
      `${count}`,
      mode,
    ],
    cwd: REPO,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let exited = false;
  const output = child.output().then((out) => {
    exited = true;
    return out;
  });
  let reads = 0;
  const torn: string[] = [];
  while (!exited) {
    for (let i = 0; i < 50; i++) {
      reads++;
      const text = fs.readFileSync(file, "utf8");
      try {
        const data = JSON.parse(text);
        if (data.pad.length !== data.len) throw new Error("short pad");
      } catch {
        torn.push(`${text.length} bytes`);
      }
    }
    if (stopAtFirstTear && torn.length > 0) {
      child.kill("SIGKILL");
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const out = await output;
  return {
    reads,
    torn,
    writerOutput: new TextDecoder().decode(out.stdout) +
      new TextDecoder().decode(out.stderr),
  };
}

Deno.test("a reader in a loop never sees half a file while another process rewrites it", async () => {
  await withTempDir(async (dir) => {
    const file = path.join(dir, "state.json");
    const result = await readWhileRewriting(file, "atomic", 400, false);
    assertIncludes(result.writerOutput, "done 400");
    assertEquals(result.torn, [], `torn reads out of ${result.reads}`);
    assert(result.reads > 100, `only ${result.reads} reads: no overlap`);
    assertEquals(fs.readdirSync(dir), ["state.json"]);
  });
});

Deno.test("the same reader does see half files when the writer truncates and writes in place (control)", async () => {
  await withTempDir(async (dir) => {
    const file = path.join(dir, "state.json");
    // Up to three runs: the tear is a race, but over 20 000 rewrites of up
    // to 300 KB a reader reading constantly sees at least one.
    let torn = 0;
    for (let run = 0; run < 3 && torn === 0; run++) {
      torn = (await readWhileRewriting(file, "naive", 20_000, true)).torn
        .length;
    }
    assert(torn > 0, "the control never saw a torn file: the test is blind");
  });
});

Deno.test({
  name:
    "writing into a read-only directory is one clear MaosError and the existing file is unchanged",
  ignore: ignoredBecause(readOnlyDir),
  fn: async () => {
    const ro = readOnlyDir;
    if (typeof ro === "string") return;
    await withTempDir((dir) => {
      const sub = path.join(dir, "orch");
      fs.mkdirSync(sub);
      const file = path.join(sub, "state.json");
      writeFileAtomic(file, "saved before\n");
      ro.lock(sub);
      try {
        const err = assertMaosError(
          () => writeFileAtomic(file, "new content\n"),
          1,
          `cannot write ${file}`,
          "permission denied",
        );
        assertIncludes(err.hint ?? "", "writable");
        assertEquals(fs.readFileSync(file, "utf8"), "saved before\n");
        assertEquals(fs.readdirSync(sub), ["state.json"]);
        assertMaosError(() => ensureDir(path.join(sub, "agents")), 1, "agents");
      } finally {
        ro.unlock(sub);
      }
    });
  },
});

Deno.test({
  name:
    "a full disk is one clear MaosError, the existing file is unchanged and no temp file stays",
  ignore: ignoredBecause(tinyDiskProbe),
  fn: () => {
    const disk = mountTinyDisk();
    try {
      const file = path.join(disk.dir, "state.json");
      writeFileAtomic(file, "saved before\n");
      const err = assertMaosError(
        () => writeFileAtomic(file, "z".repeat(1_000_000)),
        1,
        `disk full while writing ${file}`,
      );
      assertIncludes(err.hint ?? "", "intact");
      assertEquals(fs.readFileSync(file, "utf8"), "saved before\n");
      assertEquals(fs.readdirSync(disk.dir), ["state.json"]);

      // Nearly full: the temp file fits partly, then fails; still nothing changes.
      const filler = fillDisk(disk.dir, 8192);
      assertMaosError(() => writeFileAtomic(file, "w".repeat(64_000)), 1);
      assertEquals(fs.readFileSync(file, "utf8"), "saved before\n");
      assertEquals(fs.readdirSync(disk.dir).sort(), ["filler", "state.json"]);
      fs.rmSync(filler);
      writeFileAtomic(file, "after space was freed\n");
      assertEquals(fs.readFileSync(file, "utf8"), "after space was freed\n");
    } finally {
      disk.release();
    }
  },
});
