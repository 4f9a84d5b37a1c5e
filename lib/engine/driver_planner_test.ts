import assert from "node:assert/strict";
import * as path from "node:path";
import { runMaos } from "../../tests/e2e/run_maos.ts";
import type { AgentDriver } from "../drivers/driver.ts";
import { extractJson, planWithDriver } from "./driver_planner.ts";

const FAKE_CLAUDE = path.resolve(
  import.meta.dirname!,
  "../../tests/fixtures/fake-claude",
);

Deno.test("extractJson finds a plan in a bare reply, a ```json fence, or prose around braces", () => {
  assert.deepEqual(extractJson('{"a":1}'), { a: 1 });
  assert.deepEqual(extractJson('Here:\n```json\n{"a":2}\n```\nDone.'), {
    a: 2,
  });
  assert.deepEqual(extractJson('The plan is {"a":3} as asked.'), { a: 3 });
  assert.equal(extractJson("no plan here"), undefined);
});

Deno.test("orchestrate without a plan asks Claude for one and runs the plan it returns", async () => {
  const dir = await Deno.makeTempDir({ prefix: "maos-planner-" });
  try {
    const plan = {
      agents: [{ id: "dev-001", role: "developer" }, {
        id: "qa-001",
        role: "tester",
      }],
      tasks: [
        { id: "build", agent: "dev-001", title: "Build it" },
        {
          id: "check",
          agent: "qa-001",
          title: "Check it",
          dependsOn: ["build"],
        },
      ],
    };
    const run = await runMaos(["orchestrate", "Add auth"], {
      cwd: dir,
      env: {
        MAOS_CLAUDE_BIN: FAKE_CLAUDE,
        FAKE_CLAUDE_PLAN: JSON.stringify(JSON.stringify(plan)).slice(1, -1),
      },
    });
    assert.equal(run.code, 0, run.stderr);
    const status =
      (await runMaos(["orchestration", "status", "--json"], { cwd: dir })).json<
        { tasks: { id: string; status: string }[]; agents: { id: string }[] }
      >();
    assert.deepEqual(status.agents.map((a) => a.id), ["dev-001", "qa-001"]);
    assert.deepEqual(status.tasks.map((t) => [t.id, t.status]), [[
      "build",
      "completed",
    ], ["check", "completed"]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a planner reply without a valid plan falls back to the default team and says so", async () => {
  const dir = await Deno.makeTempDir({ prefix: "maos-planner-" });
  try {
    const bad = JSON.stringify(
      JSON.stringify({
        agents: [{ id: "a-001", role: "x" }],
        tasks: [{ id: "t", agent: "nobody", title: "T" }],
      }),
    );
    const run = await runMaos(["orchestrate", "Add auth"], {
      cwd: dir,
      env: { MAOS_CLAUDE_BIN: FAKE_CLAUDE, FAKE_CLAUDE_PLAN: bad.slice(1, -1) },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /unknown agent 'nobody'.*default team/);
    const status =
      (await runMaos(["orchestration", "status", "--json"], { cwd: dir })).json<
        { agents: { id: string }[] }
      >();
    assert.deepEqual(status.agents.map((a) => a.id), [
      "analyst-001",
      "developer-001",
      "tester-001",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("not logged in to Claude: orchestrate stops at planning with one clear error and starts nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "maos-planner-" });
  try {
    const run = await runMaos(["orchestrate", "Add auth"], {
      cwd: dir,
      env: { MAOS_CLAUDE_BIN: FAKE_CLAUDE, FAKE_CLAUDE_MODE: "not_logged_in" },
    });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^maos: Claude Code is not logged in/m);
    assert.match(run.stderr, /^hint: log in with `claude`/m);
    const list = await runMaos(["orchestration", "list", "--json"], {
      cwd: dir,
    });
    assert.deepEqual(list.json(), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a Codex planner with no API key is fatal, with Codex's own hint", async () => {
  const codex: AgentDriver = {
    name: "codex",
    simulated: false,
    run: () =>
      Promise.resolve({
        status: "failed",
        summary: "Codex has no API key: OPENAI_API_KEY is not set — set it",
      }),
  };
  const planned = await planWithDriver(codex, "Add auth", ".", {});
  assert.ok("fatal" in planned && planned.fatal?.includes("codex login"));
});
