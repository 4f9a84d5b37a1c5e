/**
 * The permissions and approval commands as a user meets them, without an
 * AI CLI: a bad rule in a plan or in maos.json stops `orchestrate` with exit
 * 2 naming the agent and the rule (nothing is created), and `maos approval`
 * answers unknown requests with one clear line.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { runMaosExpect } from "./run_maos.ts";
import { tempProject } from "./_store_fixture.ts";

function plan(dir: string, permissions: unknown): string {
  const file = path.join(dir, "plan.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      agents: [{ id: "tester-001", role: "tester", permissions }],
      tasks: [{ id: "t", agent: "tester-001", title: "Test", run: "echo ok" }],
    }),
  );
  return file;
}

const orchestrations = (dir: string) =>
  fs.existsSync(path.join(dir, ".maos", "orchestrations"))
    ? fs.readdirSync(path.join(dir, ".maos", "orchestrations"))
    : [];

Deno.test("a bad permission rule in the plan is exit 2 naming the agent and the rule; nothing starts", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    const run = await runMaosExpect(2, [
      "orchestrate",
      "Test",
      "--plan",
      plan(dir, { allow: ["Bash(node test.js"] }),
    ], { cwd: dir });
    const lines = run.stderr.trim().split("\n");
    assert.match(
      lines[0],
      /invalid plan .*plan\.json: agent 'tester-001': permissions\.allow rule 'Bash\(node test\.js' is not valid: missing '\)' at the end/,
    );
    assert.match(run.stderr, /Claude Code's syntax/);
    assert.deepEqual(orchestrations(dir), []);
    // An unknown mode is named by the schema, with its path.
    const mode = await runMaosExpect(2, [
      "orchestrate",
      "Test",
      "--plan",
      plan(dir, { mode: "yolo" }),
    ], { cwd: dir });
    assert.match(mode.stderr, /agents\.0\.permissions\.mode/);
  } finally {
    await cleanup();
  }
});

Deno.test("a bad rule in maos.json is exit 2 naming where it is", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    const config = path.join(dir, ".maos", "maos.json");
    const json = JSON.parse(fs.readFileSync(config, "utf8"));
    json.permissions = { deny: ["webfetch"] };
    fs.writeFileSync(config, JSON.stringify(json));
    const run = await runMaosExpect(2, [
      "orchestrate",
      "Test",
      "--plan",
      plan(dir, undefined),
    ], { cwd: dir });
    assert.match(
      run.stderr,
      /maos\.json: permissions\.deny rule 'webfetch' is not valid: tool names start with a capital letter: 'Webfetch'/,
    );
    assert.deepEqual(orchestrations(dir), []);
  } finally {
    await cleanup();
  }
});

Deno.test("maos approval: none yet, unknown numbers and bad numbers are one clear line each", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    await runMaosExpect(0, [
      "orchestrate",
      "Test",
      "--plan",
      plan(dir, { allow: ["Bash(node test.js)"], sandbox: "read-only" }),
    ], { cwd: dir });
    const [id] = orchestrations(dir);
    const list = await runMaosExpect(0, ["approval", "list"], { cwd: dir });
    assert.match(list.stdout, /No permission requests in orchestration/);
    const json = await runMaosExpect(0, ["--json", "approval", "list", id], {
      cwd: dir,
    });
    assert.deepEqual(json.json(), []);
    const all = await runMaosExpect(0, [
      "approval",
      "list",
      "--all",
      "--pending",
    ], {
      cwd: dir,
    });
    assert.match(all.stdout, /No pending requests in any orchestration\./);
    await runMaosExpect(2, ["approval", "list", id, "--all"], { cwd: dir });
    const unknown = await runMaosExpect(2, ["approval", "grant", id, "1"], {
      cwd: dir,
    });
    assert.match(
      unknown.stderr,
      new RegExp(`no approval request #1 in orchestration ${id.slice(0, 8)}`),
    );
    await runMaosExpect(2, ["approval", "deny", id, "zero"], { cwd: dir });
    // An agent's process (maos gave it a token) cannot answer.
    const agent = await runMaosExpect(2, ["approval", "grant", id, "1"], {
      cwd: dir,
      env: { MAOS_AGENT_ID: "tester-001", MAOS_AGENT_TOKEN: "secret" },
    });
    assert.match(
      agent.stderr,
      /maos approval grant is for people: this process runs for agent tester-001/,
    );
    const help = await runMaosExpect(0, ["approval", "grant", "--help"], {
      cwd: dir,
    });
    assert.match(help.stdout, /--always/);
    assert.match(help.stdout, /maos approval grant a1b2 1 --always/);
    // The plan's permissions are kept with the agent.
    const state = JSON.parse(
      fs.readFileSync(
        path.join(dir, ".maos", "orchestrations", id, "state.json"),
        "utf8",
      ),
    );
    assert.deepEqual(state.state.agents[0].permissions, {
      allow: ["Bash(node test.js)"],
      sandbox: "read-only",
    });
  } finally {
    await cleanup();
  }
});
