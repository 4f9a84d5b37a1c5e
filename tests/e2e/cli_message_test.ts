/** `maos message send|list` as agents and people use them. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { runMaosExpect } from "./run_maos.ts";
import { addOrchestration, tempProject } from "./_store_fixture.ts";

function inboxLines(path: string): Record<string, unknown>[] {
  // Lines are written as "\n" + JSON, so blank separators are skipped.
  return fs.readFileSync(path, "utf8").split("\n").filter((l) => l !== "")
    .map((l) => JSON.parse(l));
}

Deno.test("message send from an agent's environment appends one line to inbox.jsonl", async () => {
  const { paths, cleanup } = await tempProject();
  const elsewhere = await Deno.makeTempDir({ prefix: "maos-e2e-agent-cwd-" });
  try {
    const id = await addOrchestration(paths, { end: "running" });
    const env = {
      MAOS_DIR: paths.root,
      MAOS_ORCHESTRATION_ID: id,
      MAOS_AGENT_ID: "developer-001",
      MAOS_TASK_ID: "build",
    };
    await runMaosExpect(0, [
      "message",
      "send",
      "--type",
      "discovery",
      "the",
      "API",
      "needs",
      "auth",
    ], {
      cwd: elsewhere,
      env,
    });
    await runMaosExpect(0, [
      "message",
      "send",
      "--to",
      "analyst",
      "--type",
      "request",
      "which regex?",
    ], {
      cwd: elsewhere,
      env,
    });
    const lines = inboxLines(paths.inbox(id));
    assert.equal(lines.length, 2);
    assert.deepEqual(Object.keys(lines[0]).sort(), [
      "at",
      "content",
      "from",
      "kind",
      "to",
    ]);
    assert.equal(lines[0].from, "developer-001");
    assert.equal(lines[0].to, null);
    assert.equal(lines[0].kind, "discovery");
    assert.equal(lines[0].content, "the API needs auth");
    // A role with one agent stands for that agent.
    assert.equal(lines[1].to, "analyst-001");
    assert.equal(lines[1].kind, "request");
    // Nothing was written to the log itself: the orchestrator ingests the inbox.
    const log = fs.readFileSync(paths.events(id), "utf8");
    assert.ok(!log.includes("the API needs auth"));
  } finally {
    await cleanup();
    await Deno.remove(elsewhere, { recursive: true }).catch(() => {});
  }
});

Deno.test("message send from a person needs --orchestration; unknown recipients and kinds are refused", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths, { end: "paused" });
    const none = await runMaosExpect(2, ["message", "send", "hello"], {
      cwd: dir,
    });
    assert.match(none.stderr, /--orchestration/);
    const sent = await runMaosExpect(0, [
      "--json",
      "message",
      "send",
      "--orchestration",
      id.slice(0, 5),
      "--to",
      "developer-001",
      "use the v2 API",
    ], { cwd: dir });
    const json = sent.json<Record<string, unknown>>();
    assert.equal(json.orchestration, id);
    assert.equal(json.from, "user");
    assert.equal(json.to, "developer-001");
    assert.equal(json.type, "info");
    const human = await runMaosExpect(0, [
      "message",
      "send",
      "--orchestration",
      id,
      "later",
    ], { cwd: dir });
    assert.match(human.stderr, /delivered when it resumes/);
    const who = await runMaosExpect(2, [
      "message",
      "send",
      "--orchestration",
      id,
      "--to",
      "nobody",
      "x",
    ], {
      cwd: dir,
    });
    assert.match(who.stderr, /no agent 'nobody'/);
    await runMaosExpect(2, [
      "message",
      "send",
      "--orchestration",
      id,
      "--type",
      "gossip",
      "x",
    ], { cwd: dir });
    assert.equal(inboxLines(paths.inbox(id)).length, 2);
  } finally {
    await cleanup();
  }
});

Deno.test("message list --follow on an orchestration that is not running prints the history and ends", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths, {
      end: "completed",
      messages: [{
        from: "analyst-001",
        to: null,
        kind: "broadcast",
        content: "hello all",
      }],
    });
    const run = await runMaosExpect(0, ["message", "list", id, "--follow"], {
      cwd: dir,
    });
    assert.match(run.stdout, /📢 \[analyst-001 → all\] hello all/);
    const json = await runMaosExpect(0, [
      "--json",
      "message",
      "list",
      id,
      "--follow",
    ], { cwd: dir });
    // One object per line while following.
    assert.equal(JSON.parse(json.stdout.trim()).content, "hello all");
  } finally {
    await cleanup();
  }
});
