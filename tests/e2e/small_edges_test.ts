/**
 * The smaller edges: `--driver shell` without a plan is a usage error before
 * anything is written; `init` below a project's `.maos/` names it and needs
 * --force; `message list` shows what waits in the inbox, marked pending.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { runMaosExpect } from "./run_maos.ts";
import { addOrchestration, tempProject } from "./_store_fixture.ts";

Deno.test("--driver shell without a plan: exit 2 with the reason, nothing created", async () => {
  const dir = await Deno.makeTempDir({ prefix: "maos-shell-noplan-" });
  try {
    const run = await runMaosExpect(2, [
      "orchestrate",
      "Do things",
      "--driver",
      "shell",
    ], { cwd: dir });
    assert.match(run.stderr, /the shell driver runs each task's `run` command/);
    assert.match(run.stderr, /hint: .*--plan/);
    assert.ok(!fs.existsSync(path.join(dir, ".maos")), "nothing written");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("init in a subfolder of a project with a .maos/ says where it is and needs --force", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    const sub = path.join(dir, "packages", "web");
    fs.mkdirSync(sub, { recursive: true });
    const refused = await runMaosExpect(2, ["init"], { cwd: sub });
    assert.match(
      refused.stderr,
      /this project already has a store: \.\.\/\.\.\/\.maos \(.*\.maos\)/,
    );
    assert.match(refused.stderr, /maos init --force/);
    assert.ok(!fs.existsSync(path.join(sub, ".maos")));
    await runMaosExpect(0, ["init", "--force"], { cwd: sub });
    assert.ok(fs.existsSync(path.join(sub, ".maos", "maos.json")));
    // Again in the same place: harmless, as before.
    await runMaosExpect(0, ["init"], { cwd: sub });
    await runMaosExpect(0, ["init"], { cwd: dir });
  } finally {
    await cleanup();
  }
});

Deno.test("message list shows a message sent while paused, marked pending (not a refused one)", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths, { end: "paused" });
    await runMaosExpect(0, [
      "message",
      "send",
      "--orchestration",
      id.slice(0, 8),
      "--to",
      "developer-001",
      "Use the v2 API",
    ], { cwd: dir });
    // A line that claims an agent without its token is not shown as a message.
    fs.appendFileSync(
      paths.inbox(id),
      JSON.stringify({
        at: new Date().toISOString(),
        from: "analyst-001",
        to: null,
        kind: "info",
        content: "forged",
      }) + "\n",
    );
    const list = await runMaosExpect(0, ["message", "list", id.slice(0, 8)], {
      cwd: dir,
    });
    assert.match(
      list.stdout,
      /\(pending\) \d\d:\d\d:\d\d .*\[user → developer-001\] Use the v2 API/,
    );
    assert.doesNotMatch(list.stdout, /forged/);
    const json = await runMaosExpect(0, [
      "--json",
      "message",
      "list",
      id.slice(0, 8),
    ], { cwd: dir });
    const last = json.json<
      { seq: number | null; pending?: boolean; content: string }[]
    >().at(-1)!;
    assert.deepEqual([last.seq, last.pending, last.content], [
      null,
      true,
      "Use the v2 API",
    ]);
  } finally {
    await cleanup();
  }
});

Deno.test("message list --limit N counts pending messages too: the last N in all", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths, { end: "paused" });
    for (const text of ["first pending", "second pending"]) {
      await runMaosExpect(0, [
        "message",
        "send",
        "--orchestration",
        id.slice(0, 8),
        text,
      ], { cwd: dir });
    }
    const one = await runMaosExpect(0, [
      "message",
      "list",
      id.slice(0, 8),
      "--limit",
      "1",
    ], { cwd: dir });
    assert.deepEqual(
      one.stdout.trim().split("\n").map((l) => l.replace(/^.*\] /, "")),
      ["second pending"],
    );
    const json = await runMaosExpect(0, [
      "--json",
      "message",
      "list",
      id.slice(0, 8),
      "--limit",
      "2",
    ], { cwd: dir });
    assert.deepEqual(json.json<{ content: string }[]>().map((m) => m.content), [
      "first pending",
      "second pending",
    ]);
  } finally {
    await cleanup();
  }
});

Deno.test("message send as an agent without its token warns that it will be refused, instead of a plain '✓ Message sent'", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths, { end: "paused" });
    const run = await runMaosExpect(0, ["--quiet", "message", "send", "hi"], {
      cwd: dir,
      env: { MAOS_ORCHESTRATION_ID: id, MAOS_AGENT_ID: "analyst-001" },
    });
    assert.match(
      run.stderr,
      /warning: no agent token: .*not taken as analyst-001's/,
    );
    assert.doesNotMatch(run.stderr + run.stdout, /✓ Message sent/);
    // Still written, so the refusal is logged and doctor reports it.
    assert.match(fs.readFileSync(paths.inbox(id), "utf8"), /"content":"hi"/);
  } finally {
    await cleanup();
  }
});

Deno.test("message send with a token that is not one of the agent's turns (another orchestration's) warns that it will be refused", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths, { end: "paused" });
    const run = await runMaosExpect(0, ["message", "send", "hi"], {
      cwd: dir,
      env: {
        MAOS_ORCHESTRATION_ID: id,
        MAOS_AGENT_ID: "analyst-001",
        MAOS_AGENT_TOKEN: "0".repeat(64),
      },
    });
    assert.match(
      run.stderr,
      /warning: wrong agent token for analyst-001: .*not taken as analyst-001's/,
    );
    assert.doesNotMatch(run.stderr + run.stdout, /✓ Message sent/);
  } finally {
    await cleanup();
  }
});

Deno.test("init where .maos is a file: exit 2 saying so, the file untouched", async () => {
  const dir = await Deno.makeTempDir({ prefix: "maos-init-file-" });
  try {
    fs.writeFileSync(path.join(dir, ".maos"), "mine\n");
    const run = await runMaosExpect(2, ["init"], { cwd: dir });
    assert.match(run.stderr, /\.maos is a file, not a directory/);
    assert.match(run.stderr, /hint: .*--dir/);
    assert.equal(fs.readFileSync(path.join(dir, ".maos"), "utf8"), "mine\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
