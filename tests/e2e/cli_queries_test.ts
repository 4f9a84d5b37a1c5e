/**
 * The read-only commands (`orchestration list|status`, `message list`,
 * `agent list`, `doctor`) against stores written with the store API.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { runMaos, runMaosExpect } from "./run_maos.ts";
import {
  addOrchestration,
  deadPid,
  tempProject,
  writeLock,
} from "./_store_fixture.ts";

const keys = (value: unknown) => Object.keys(value as object).sort();

const LIST_KEYS = [
  "agents",
  "cost",
  "createdAt",
  "id",
  "inputTokens",
  "messages",
  "outputTokens",
  "request",
  "status",
  "updatedAt",
];
const STATUS_KEYS = [
  "agents",
  "approvals",
  "budget",
  "cost",
  "createdAt",
  "durationMs",
  "estimatedCost",
  "id",
  "inputTokens",
  "isolation",
  "messages",
  "outputTokens",
  "plannerCost",
  "progress",
  "recentMessages",
  "request",
  "status",
  "tasks",
  "updatedAt",
];
const AGENT_KEYS = [
  "cost",
  "driver",
  "estimatedCost",
  "id",
  "inputTokens",
  "messages",
  "outputTokens",
  "role",
  "sessionId",
  "status",
];
const TASK_KEYS = [
  "agent",
  "dependsOn",
  "id",
  "progress",
  "result",
  "starts",
  "status",
  "title",
];
const MESSAGE_KEYS = ["at", "content", "from", "seq", "to", "type"];

const MESSAGES = [
  {
    from: "analyst-001",
    to: null,
    kind: "discovery" as const,
    content: "the form has 3 fields",
  },
  {
    from: "developer-001",
    to: "analyst-001",
    kind: "request" as const,
    content: "which regex for email?",
  },
];

Deno.test("--json shapes of list, status, message list and agent list have exactly the documented keys", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths, {
      messages: MESSAGES,
      cost: 0.25,
    });
    const list = (await runMaosExpect(0, ["--json", "orchestration", "list"], {
      cwd: dir,
    }))
      .json<Record<string, unknown>[]>();
    assert.equal(list.length, 1);
    assert.deepEqual(keys(list[0]), LIST_KEYS);
    assert.equal(list[0].id, id);
    assert.equal(list[0].status, "completed");
    assert.equal(list[0].agents, 2);
    assert.equal(list[0].messages, 2);
    assert.equal(list[0].cost, 0.25);

    const status = (await runMaosExpect(0, [
      "orchestration",
      "status",
      id.slice(0, 6),
      "--json",
    ], { cwd: dir }))
      .json<
        Record<string, unknown> & {
          progress: object;
          agents: object[];
          tasks: object[];
          recentMessages: Record<string, unknown>[];
        }
      >();
    assert.deepEqual(keys(status), STATUS_KEYS);
    assert.deepEqual(status.progress, { completed: 2, total: 2 });
    assert.deepEqual(status.agents.map(keys), [AGENT_KEYS, AGENT_KEYS]);
    assert.deepEqual(status.tasks.map(keys), [TASK_KEYS, TASK_KEYS]);
    assert.deepEqual(status.recentMessages.map(keys), [
      MESSAGE_KEYS,
      MESSAGE_KEYS,
    ]);
    assert.equal(status.recentMessages[0].type, "discovery");
    assert.equal(status.recentMessages[0].to, null);
    assert.equal(typeof status.durationMs, "number");
    assert.deepEqual([status.inputTokens, status.outputTokens], [1200, 80]);

    const messages =
      (await runMaosExpect(0, ["--json", "message", "list", id], { cwd: dir }))
        .json<Record<string, unknown>[]>();
    assert.deepEqual(messages.map(keys), [MESSAGE_KEYS, MESSAGE_KEYS]);
    assert.deepEqual(
      messages.map((m) => [m.from, m.to, m.type, m.content]),
      MESSAGES.map((m) => [m.from, m.to, m.kind, m.content]),
    );
    const last = (await runMaosExpect(
      0,
      ["--json", "message", "list", id, "--limit", "1"],
      { cwd: dir },
    ))
      .json<Record<string, unknown>[]>();
    assert.deepEqual(last.map((m) => m.content), ["which regex for email?"]);

    const agents =
      (await runMaosExpect(0, ["--json", "agent", "list"], { cwd: dir }))
        .json<Record<string, unknown>[]>();
    assert.deepEqual(agents.map(keys), [AGENT_KEYS, AGENT_KEYS]);
    assert.equal(agents[1].sessionId, "sess-123");
    assert.deepEqual(
      agents.map((a) => [a.cost, a.inputTokens, a.outputTokens]),
      [[0, 0, 0], [0.25, 1200, 80]],
    );
  } finally {
    await cleanup();
  }
});

Deno.test("a running state whose lock holder is dead shows as interrupted, agents and tasks too", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths, { end: "running" });
    writeLock(paths, id, await deadPid());
    const status =
      (await runMaosExpect(0, ["--json", "orchestration", "status", id], {
        cwd: dir,
      }))
        .json<
          {
            status: string;
            agents: { status: string }[];
            tasks: { status: string }[];
          }
        >();
    assert.equal(status.status, "interrupted");
    assert.deepEqual(status.agents.map((a) => a.status), [
      "completed",
      "interrupted",
    ]);
    assert.deepEqual(status.tasks.map((t) => t.status), [
      "completed",
      "interrupted",
    ]);

    const list = await runMaosExpect(0, ["orchestration", "list"], {
      cwd: dir,
    });
    assert.match(list.stdout, /interrupted/);
    assert.match(
      list.stderr,
      new RegExp(`Resume with: maos orchestration resume ${id.slice(0, 8)}`),
    );
    const filtered = (await runMaosExpect(0, [
      "--json",
      "orchestration",
      "list",
      "--status",
      "interrupted",
    ], {
      cwd: dir,
    })).json<{ id: string }[]>();
    assert.deepEqual(filtered.map((o) => o.id), [id]);
    // No lock at all: the same.
    fs.rmSync(paths.lock(id));
    const again =
      (await runMaosExpect(0, ["--json", "orchestration", "status", id], {
        cwd: dir,
      }))
        .json<{ status: string }>();
    assert.equal(again.status, "interrupted");
  } finally {
    await cleanup();
  }
});

Deno.test("ids: unknown, ambiguous and path-like ids are usage errors (exit 2)", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    await addOrchestration(paths, { id: "abcd00000001" });
    await addOrchestration(paths, { id: "abcd00000002" });
    const unknown = await runMaosExpect(
      2,
      ["orchestration", "status", "ffff"],
      { cwd: dir },
    );
    assert.match(unknown.stderr, /orchestration 'ffff' not found/);
    const ambiguous = await runMaosExpect(2, [
      "orchestration",
      "status",
      "abcd",
    ], { cwd: dir });
    assert.match(ambiguous.stderr, /ambiguous/);
    assert.match(ambiguous.stderr, /abcd00000001/);
    assert.match(ambiguous.stderr, /abcd00000002/);
    const pathLike = await runMaosExpect(2, ["message", "list", "../etc"], {
      cwd: dir,
    });
    assert.match(pathLike.stderr, /invalid orchestration id '\.\.\/etc'/);
    await runMaosExpect(2, ["agent", "list", "../../x"], { cwd: dir });
    await runMaosExpect(2, ["orchestration", "status", "ab"], { cwd: dir });
    // A unique prefix works.
    await runMaosExpect(0, ["orchestration", "status", "abcd00000001"], {
      cwd: dir,
    });
  } finally {
    await cleanup();
  }
});

Deno.test("a corrupt line in the middle of events.jsonl: message list exits 4 naming file and line, and changes nothing", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths, { messages: MESSAGES });
    const file = paths.events(id);
    const lines = fs.readFileSync(file, "utf8").split("\n");
    lines[3] = lines[3].slice(0, 20) + "#garbage";
    fs.writeFileSync(file, lines.join("\n"));
    const before = fs.readFileSync(file);
    const run = await runMaosExpect(4, ["message", "list", id], { cwd: dir });
    assert.match(run.stderr, /events\.jsonl line 4 is corrupt/);
    assert.equal(run.stdout, "");
    assert.deepEqual(fs.readFileSync(file), before);
    // doctor finds it too, and exits 4.
    const doctor = await runMaosExpect(4, ["doctor"], { cwd: dir });
    assert.match(doctor.stdout, /events\.jsonl/);
    assert.match(doctor.stderr, /problem/);
    assert.deepEqual(fs.readFileSync(file), before);
  } finally {
    await cleanup();
  }
});

Deno.test("doctor on a clean store exits 0; --json gives the report", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    await addOrchestration(paths, { messages: MESSAGES });
    const run = await runMaosExpect(0, ["doctor"], { cwd: dir });
    assert.match(run.stdout, /No problems/);
    const json = (await runMaosExpect(0, ["doctor", "--json"], { cwd: dir }))
      .json<{ findings: unknown[]; unresolved: number }>();
    assert.equal(json.unresolved, 0);
  } finally {
    await cleanup();
  }
});

Deno.test("a corrupt state.json is only a cache: list rebuilds it from the log and says so", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths);
    fs.writeFileSync(paths.state(id), "{ not json");
    const run = await runMaosExpect(0, ["--json", "orchestration", "list"], {
      cwd: dir,
    });
    assert.match(
      run.stderr,
      /state\.json is not valid JSON.*rebuilt from events\.jsonl/,
    );
    assert.deepEqual(
      run.json<{ id: string; status: string }[]>().map((r) => [r.id, r.status]),
      [[id, "completed"]],
    );
    assert.equal(
      fs.readFileSync(paths.state(id), "utf8"),
      "{ not json",
      "a reader changes nothing",
    );
    // Without a state.json, the list is built from the log too.
    fs.rmSync(paths.state(id));
    const rows = (await runMaosExpect(0, ["--json", "orchestration", "list"], {
      cwd: dir,
    }))
      .json<{ id: string; status: string }[]>();
    assert.deepEqual(rows.map((r) => [r.id, r.status]), [[id, "completed"]]);
  } finally {
    await cleanup();
  }
});

const ESC = "\x1b[";

Deno.test("no escape codes through a pipe, with NO_COLOR or with --no-color", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths, {
      messages: MESSAGES,
      end: "paused",
    });
    const commands = [
      ["orchestration", "list"],
      ["orchestration", "status", id],
      ["message", "list", id],
      ["agent", "list"],
      ["doctor"],
    ];
    for (const args of commands) {
      const piped = await runMaos(args, { cwd: dir, allowColor: true });
      const noColor = await runMaos(args, {
        cwd: dir,
        env: { NO_COLOR: "1", FORCE_COLOR: "1" },
      });
      const flag = await runMaos(["--no-color", ...args], {
        cwd: dir,
        allowColor: true,
        env: { FORCE_COLOR: "1" },
      });
      for (const run of [piped, noColor, flag]) {
        assert.equal(run.code, 0, run.stderr);
        assert.ok(
          !run.stdout.includes(ESC),
          `escape codes in: maos ${args.join(" ")}`,
        );
        assert.ok(
          !run.stderr.includes(ESC),
          `escape codes on stderr: maos ${args.join(" ")}`,
        );
      }
    }
    // FORCE_COLOR alone does colour (so the checks above are meaningful).
    const forced = await runMaos(["orchestration", "list"], {
      cwd: dir,
      allowColor: true,
      env: { FORCE_COLOR: "1" },
    });
    assert.ok(forced.stdout.includes(ESC));
  } finally {
    await cleanup();
  }
});

Deno.test("status without flags shows header, progress, agents, tasks, messages and the resume hint", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths, {
      messages: MESSAGES,
      end: "paused",
      cost: 1.5,
    });
    const run = await runMaosExpect(0, ["orchestration", "status"], {
      cwd: dir,
    });
    for (
      const part of [
        id,
        "⏸️ paused",
        "Add input validation",
        "[████████████░░░░░░░░░░░░] 1/2 (50%)",
        "developer-001",
        "sess-123",
        "Build validation 40%",
        "💡 [analyst-001 → all] the form has 3 fields",
        "❓ [developer-001 → analyst-001] which regex for email?",
        "$1.50",
        `Resume with: maos orchestration resume ${id.slice(0, 8)}`,
      ]
    ) {
      assert.ok(
        run.stdout.includes(part),
        `status lacks ${JSON.stringify(part)}:\n${run.stdout}`,
      );
    }
    const agentsOnly = await runMaosExpect(0, [
      "orchestration",
      "status",
      "--agents",
    ], { cwd: dir });
    assert.ok(agentsOnly.stdout.includes("sess-123"));
    assert.ok(!agentsOnly.stdout.includes("Recent messages"));
    // --watch on an orchestration that is not running prints once and ends.
    const watch = await runMaosExpect(0, [
      "orchestration",
      "status",
      "--watch",
      "--interval",
      "0.1",
    ], { cwd: dir });
    assert.ok(watch.stdout.includes("⏸️ paused"));
  } finally {
    await cleanup();
  }
});

Deno.test("a .maos written before tokens were kept (legacy cost events, no token fields) loads, shows, and passes doctor", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths);
    // What the previous maos wrote: a `cost` event with the running total
    // it believed in, and a state.json without any token field.
    const events = fs.readFileSync(paths.events(id), "utf8").trimEnd()
      .split("\n").map((l) => JSON.parse(l));
    const last = events.at(-1);
    events.splice(events.length - 1, 0, {
      seq: last.seq,
      at: last.at,
      type: "cost",
      agent: "developer-001",
      totalUsd: 0.0008,
    });
    events.at(-1).seq = last.seq + 1;
    fs.writeFileSync(
      paths.events(id),
      events.map((e) => JSON.stringify(e) + "\n").join(""),
    );
    const snapshot = JSON.parse(fs.readFileSync(paths.state(id), "utf8"));
    snapshot.state.lastSeq += 1;
    snapshot.logOffset = fs.statSync(paths.events(id)).size;
    snapshot.state.cost = 0.0008;
    snapshot.state.agents[1].cost = 0.0008;
    for (const holder of [snapshot.state, ...snapshot.state.agents]) {
      delete holder.inputTokens;
      delete holder.outputTokens;
    }
    fs.writeFileSync(paths.state(id), JSON.stringify(snapshot, null, 2) + "\n");

    const status = (await runMaosExpect(0, [
      "--json",
      "orchestration",
      "status",
      id,
    ], { cwd: dir })).json<{
      cost: number;
      inputTokens: number;
      agents: { cost: number; outputTokens: number }[];
    }>();
    assert.equal(status.cost, 0.0008);
    assert.equal(status.inputTokens, 0);
    assert.deepEqual(status.agents.map((a) => [a.cost, a.outputTokens]), [
      [0, 0],
      [0.0008, 0],
    ]);
    const text = await runMaosExpect(0, ["orchestration", "list"], {
      cwd: dir,
    });
    assert.match(text.stdout, /\$0\.0008/);
    await runMaosExpect(0, ["doctor"], { cwd: dir });
  } finally {
    await cleanup();
  }
});
