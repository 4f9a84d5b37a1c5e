/**
 * A full disk and a read-only `.maos/`, for real: a tiny tmpfs that fills
 * up under a running orchestration, and a directory the kernel refuses to
 * write into. maos must say so in one line, stop its agents, and keep
 * everything it had saved.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  fillDisk,
  ignoredBecause,
  mountTinyDisk,
  readOnlyDir,
  tinyDiskProbe,
} from "../../store/_test_disk.ts";
import { runMaos } from "./run_maos.ts";

const NOISY_PLAN = `agents:
  - {id: writer-001, role: writer}
tasks:
  - id: big
    agent: writer-001
    title: Lots of output
    run: "echo $$ > pid; i=0; while [ $i -lt 3000 ]; do printf 'line %s %0300d\\\\n' $i 0; i=$((i+1)); done"
`;

Deno.test({
  name:
    "a disk that fills up mid-run: one clear line, exit 1, agents stopped, the saved log intact and resumable",
  ignore: ignoredBecause(tinyDiskProbe),
  async fn() {
    const disk = mountTinyDisk();
    try {
      fs.writeFileSync(path.join(disk.dir, "plan.yaml"), NOISY_PLAN);
      const run = await runMaos([
        "orchestrate",
        "fill the disk",
        "--plan",
        "plan.yaml",
      ], { cwd: disk.dir });
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /^maos: disk full while writing .*\nhint: /m);
      assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
      const pid = Number(fs.readFileSync(path.join(disk.dir, "pid"), "utf8"));
      assert.ok(
        !fs.existsSync(`/proc/${pid}/cmdline`) ||
          fs.readFileSync(`/proc/${pid}/cmdline`).length === 0,
        "agent stopped",
      );

      // Free space (the user's job), then the store is whole and the run resumable.
      fs.rmSync(
        path.join(
          disk.dir,
          ".maos",
          "orchestrations",
          fs.readdirSync(path.join(disk.dir, ".maos", "orchestrations"))[0],
          "agents",
        ),
        { recursive: true },
      );
      const doctor = await runMaos(["doctor"], { cwd: disk.dir });
      assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
      const list =
        (await runMaos(["orchestration", "list", "--json"], { cwd: disk.dir }))
          .json<{ status: string }[]>();
      assert.deepEqual(list.map((o) => o.status), ["interrupted"]);
    } finally {
      disk.release();
    }
  },
});

Deno.test({
  name:
    "a full disk before the start: orchestrate fails in one line and leaves no half-written files",
  ignore: ignoredBecause(tinyDiskProbe),
  async fn() {
    const disk = mountTinyDisk();
    try {
      fs.writeFileSync(path.join(disk.dir, "plan.yaml"), NOISY_PLAN);
      assert.equal((await runMaos(["init"], { cwd: disk.dir })).code, 0);
      fillDisk(disk.dir, 0);
      const run = await runMaos([
        "orchestrate",
        "no room",
        "--plan",
        "plan.yaml",
      ], { cwd: disk.dir });
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /^maos: (disk full|cannot write)/m);
      const leftovers = fs.readdirSync(path.join(disk.dir, ".maos"), {
        recursive: true,
      })
        .map(String).filter((f) => f.endsWith(".tmp"));
      assert.deepEqual(leftovers, []);
      const config = JSON.parse(
        fs.readFileSync(path.join(disk.dir, ".maos", "maos.json"), "utf8"),
      );
      assert.equal(config.saveIntervalSeconds, 30, "maos.json untouched");
    } finally {
      disk.release();
    }
  },
});

Deno.test({
  name:
    "a read-only .maos: checkpoint and orchestrate fail in one line (exit 1) and change nothing",
  ignore: ignoredBecause(typeof readOnlyDir === "string" ? readOnlyDir : true),
  async fn() {
    if (typeof readOnlyDir === "string") return;
    const dir = await Deno.makeTempDir({ prefix: "maos-ro-" });
    const orchestrations = path.join(dir, ".maos", "orchestrations");
    const checkpoints = path.join(dir, ".maos", "checkpoints");
    try {
      const first = await runMaos(["orchestrate", "ok", "--driver", "sim"], {
        cwd: dir,
        env: { MAOS_SIM_SPEED: "0" },
      });
      assert.equal(first.code, 0, first.stderr);
      const id = fs.readdirSync(orchestrations)[0];
      const before = fs.readFileSync(
        path.join(orchestrations, id, "events.jsonl"),
      );
      readOnlyDir.lock(checkpoints);
      readOnlyDir.lock(orchestrations);
      const checkpoint = await runMaos([
        "recover",
        "checkpoint",
        "--orchestration",
        id,
      ], { cwd: dir });
      assert.equal(checkpoint.code, 1, checkpoint.stderr);
      assert.match(
        checkpoint.stderr,
        /^maos: cannot write .*permission denied/m,
      );
      const second = await runMaos(
        ["orchestrate", "again", "--driver", "sim"],
        { cwd: dir, env: { MAOS_SIM_SPEED: "0" } },
      );
      assert.equal(second.code, 1, second.stderr);
      assert.match(second.stderr, /^maos: cannot write .*permission denied/m);
      assert.doesNotMatch(
        second.stderr + checkpoint.stderr,
        /\n\s+at /,
        "no stack trace",
      );
      assert.deepEqual(
        fs.readFileSync(path.join(orchestrations, id, "events.jsonl")),
        before,
      );
    } finally {
      if (typeof readOnlyDir !== "string") {
        readOnlyDir.unlock(orchestrations);
        readOnlyDir.unlock(checkpoints);
      }
      await Deno.remove(dir, { recursive: true });
    }
  },
});
