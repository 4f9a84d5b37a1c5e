/**
 * A closed output pipe (`maos orchestrate … | head -1`) never stops a run
 * half-saved: the run goes on without that output and completes, the lock
 * is released, and doctor finds nothing. Real shell pipelines, real maos
 * (source, or the binary with MAOS_BIN).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { childEnv, maosCommand, runMaosExpect } from "./run_maos.ts";
import { tempProject } from "./_store_fixture.ts";

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** A plan whose one task prints a line every 50 ms, long after head is gone. */
function writePlan(dir: string): string {
  const file = path.join(dir, "plan.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      agents: [{ id: "worker-001", role: "worker" }],
      tasks: [{
        id: "work",
        agent: "worker-001",
        title: "Print many lines",
        run:
          "i=0; while [ $i -lt 40 ]; do echo line $i; i=$((i+1)); sleep 0.05; done; echo done > finished.txt",
      }],
    }),
  );
  return file;
}

/** `sh -c "maos orchestrate … REDIRECT | head -1"`: the pipeline's status and head's line. */
/** `bash -o pipefail -c SCRIPT` in `dir`: the pipeline's status (maos's) and stdout. */
async function bash(
  dir: string,
  script: string,
): Promise<{ code: number; stdout: string }> {
  const out = await new Deno.Command("/bin/bash", {
    args: ["-o", "pipefail", "-c", script],
    cwd: dir,
    env: childEnv({}),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
}

/** `maos orchestrate … REDIRECT | head -1`: maos's exit status and head's line. */
async function pipeline(
  dir: string,
  redirect: string,
): Promise<{ code: number; first: string }> {
  const maos = maosCommand().map(quote).join(" ");
  const plan = writePlan(dir);
  const out = await bash(
    dir,
    `${maos} orchestrate 'Print a lot' --plan ${plan} ${redirect} | head -1`,
  );
  return { code: out.code, first: out.stdout.trim() };
}

async function assertFinishedCleanly(dir: string): Promise<void> {
  const list = await runMaosExpect(0, ["--json", "orchestration", "list"], {
    cwd: dir,
  });
  const [one] = list.json<{ id: string; status: string }[]>();
  assert.equal(one.status, "completed", list.stdout);
  const id = one.id;
  assert.ok(
    !fs.existsSync(path.join(dir, ".maos", "orchestrations", id, "run.lock")),
    "the lock is released",
  );
  const doctor = await runMaosExpect(0, ["doctor"], { cwd: dir });
  assert.doesNotMatch(doctor.stdout + doctor.stderr, /stale lock|warning/i);
  assert.match(doctor.stdout + doctor.stderr, /No problems\./);
}

Deno.test("orchestrate | head -1: the run goes on without stdout, completes, and doctor is clean", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    const run = await pipeline(dir, "");
    assert.match(run.first, /Orchestration [0-9a-f]{8}/);
    assert.equal(run.code, 0, "maos ended as the run did: completed");
    await assertFinishedCleanly(dir);
  } finally {
    await cleanup();
  }
});

Deno.test("orchestrate 2>&1 >/dev/null | head -1: a closed stderr does not stop the run either", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    // With --json the live view goes to stderr: it is what head closes.
    const run = await pipeline(dir, "--json 2>&1 >/dev/null");
    assert.equal(run.code, 0);
    await assertFinishedCleanly(dir);
  } finally {
    await cleanup();
  }
});

Deno.test("message list --follow | head -1: a reading command still ends when its pipe closes, the run goes on", async () => {
  const { dir, cleanup } = await tempProject();
  const plan = path.join(dir, "talk.json");
  fs.writeFileSync(
    plan,
    JSON.stringify({
      agents: [{ id: "talker-001", role: "talker" }],
      tasks: [{
        id: "talk",
        agent: "talker-001",
        title: "Talk until told to stop",
        run: "i=0; while [ ! -f stop ]; do echo ::maos::info:: note $i; " +
          "i=$((i+1)); sleep 0.1; done",
      }],
    }),
  );
  const [cmd, ...pre] = maosCommand();
  const run = new Deno.Command(cmd, {
    args: [...pre, "orchestrate", "Talk", "--plan", plan, "--quiet"],
    cwd: dir,
    env: childEnv({}),
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    const root = path.join(dir, ".maos", "orchestrations");
    let id = "";
    while (!id) {
      await new Promise((r) => setTimeout(r, 100));
      id = fs.existsSync(root) ? fs.readdirSync(root)[0] ?? "" : "";
    }
    const maos = maosCommand().map(quote).join(" ");
    const out = await bash(
      dir,
      `${maos} message list ${id} --follow | head -1`,
    );
    assert.match(out.stdout, /note \d+/);
    const status = await runMaosExpect(0, [
      "--json",
      "orchestration",
      "status",
      id,
    ], { cwd: dir });
    assert.equal(
      status.json<{ status: string }>().status,
      "running",
      "the follow ended while the run went on",
    );
  } finally {
    // The agent works in its own worktree when the project is a repository.
    for (const where of [dir, ...worktrees(dir)]) {
      fs.writeFileSync(path.join(where, "stop"), "");
    }
    await run.status;
    await cleanup();
  }
});

function worktrees(dir: string): string[] {
  const base = path.join(dir, ".maos", "worktrees");
  if (!fs.existsSync(base)) return [];
  return fs.readdirSync(base).flatMap((id) =>
    fs.readdirSync(path.join(base, id)).map((a) => path.join(base, id, a))
  );
}
