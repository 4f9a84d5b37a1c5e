/**
 * `maos orchestrate` and `resume` driving real shell agents: foreground,
 * --json, --detach, and Ctrl-C → paused (exit 130) → resume.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { childEnv, maosCommand, runMaosExpect } from "./run_maos.ts";
import { tempProject } from "./_store_fixture.ts";

function writePlan(dir: string, slow = false): string {
  const file = path.join(dir, "plan.json");
  const first = slow
    ? "echo begin; for i in 1 2 3 4 5 6 7 8 9 10; do echo step $i; sleep 0.3; done"
    : "echo hello; echo '::maos::discovery:: found it'; echo '::maos::progress:: 50'";
  fs.writeFileSync(
    file,
    JSON.stringify({
      agents: [{ id: "worker-001", role: "worker" }, {
        id: "checker-001",
        role: "checker",
      }],
      tasks: [
        { id: "work", agent: "worker-001", title: "Do the work", run: first },
        {
          id: "check",
          agent: "checker-001",
          title: "Check it",
          dependsOn: ["work"],
          run: "echo checked",
        },
      ],
    }),
  );
  return file;
}

Deno.test("orchestrate runs a plan in the foreground: live lines on stdout, exit 0", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    const plan = writePlan(dir);
    const run = await runMaosExpect(0, [
      "orchestrate",
      "Say hello",
      "--plan",
      plan,
    ], { cwd: dir });
    assert.match(run.stdout, /\[worker-001\] started: Do the work/);
    assert.match(run.stdout, /\[worker-001\] hello/);
    assert.match(run.stdout, /💡 \[worker-001 → all\] found it/);
    assert.match(run.stdout, /Orchestration completed/);
    // --json: only the final status on stdout; live lines went to stderr.
    const json = await runMaosExpect(0, [
      "--json",
      "orchestrate",
      "Say hello",
      "--plan",
      plan,
    ], { cwd: dir });
    const status = json.json<
      { status: string; progress: { completed: number; total: number } }
    >();
    assert.equal(status.status, "completed");
    assert.deepEqual(status.progress, { completed: 2, total: 2 });
    assert.match(json.stderr, /found it/);
  } finally {
    await cleanup();
  }
});

Deno.test("orchestrate --detach prints the id at once and the run finishes in the background", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    const plan = writePlan(dir);
    const run = await runMaosExpect(0, [
      "orchestrate",
      "In the background",
      "--plan",
      plan,
      "--detach",
    ], { cwd: dir });
    const id = run.stdout.trim();
    assert.match(id, /^[0-9a-f]{12}$/);
    let status = "";
    for (let i = 0; i < 100 && status !== "completed"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = fs.existsSync(paths.state(id))
        ? JSON.parse(fs.readFileSync(paths.state(id), "utf8")).state.status
        : "";
    }
    assert.equal(status, "completed");
    fs.rmSync(path.join(os.tmpdir(), `maos-${id}.log`), { force: true });
  } finally {
    await cleanup();
  }
});

Deno.test("orchestrate --detach with a missing plan file fails in the parent with the child's error", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    const run = await runMaosExpect(2, [
      "orchestrate",
      "x",
      "--plan",
      "nope.yaml",
      "--detach",
    ], { cwd: dir });
    assert.match(run.stderr, /^maos: .*nope\.yaml/m);
    assert.equal(run.stdout, "");
  } finally {
    await cleanup();
  }
});

Deno.test("Ctrl-C pauses the foreground run (exit 130) and resume finishes it", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    const plan = writePlan(dir, true);
    const [cmd, ...pre] = maosCommand();
    const child = new Deno.Command(cmd, {
      args: [...pre, "orchestrate", "Slow work", "--plan", plan],
      cwd: dir,
      env: childEnv({}),
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.getReader();
    let out = "";
    while (!out.includes("step 1")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += new TextDecoder().decode(value);
    }
    child.kill("SIGINT");
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      out += new TextDecoder().decode(value);
    }
    const { code } = await child.status;
    await child.stderr.cancel();
    assert.equal(code, 130, out);
    assert.match(
      out,
      /Orchestration paused\. Resume with: maos orchestration resume [0-9a-f]{8}/,
    );

    const paused =
      (await runMaosExpect(0, ["--json", "orchestration", "list"], {
        cwd: dir,
      }))
        .json<{ status: string }[]>();
    assert.deepEqual(paused.map((o) => o.status), ["paused"]);
    const resumed = await runMaosExpect(0, [
      "orchestration",
      "resume",
      "--no-progress",
    ], { cwd: dir });
    assert.match(resumed.stdout, /Resuming orchestration/);
    assert.match(resumed.stdout, /Orchestration completed/);
    assert.ok(
      !resumed.stdout.includes("step 2"),
      "--no-progress still printed agent output",
    );
    await runMaosExpect(2, ["orchestration", "resume"], { cwd: dir }); // nothing left to resume
  } finally {
    await cleanup();
  }
});
