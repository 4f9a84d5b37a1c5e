/**
 * Plans through the real CLI: validation errors (exit 2, naming what is
 * wrong, writing nothing) and a failing task (its dependants fail, its
 * siblings don't; resume retries it).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assert,
  assertContiguousSeq,
  assertEquals,
  assertIncludes,
  countLines,
  maosOk,
  orchestrationIds,
  readEvents,
  runMaos,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import type { OrchestrationStatus } from "../../lib/queries/queries.ts";

const AGENT = "agents:\n  - id: worker-001\n    role: worker\n";

/** [file name, content, what stderr must include]. */
const BAD_PLANS: [string, string, string[]][] = [
  [
    "syntax.yaml",
    AGENT + "tasks:\n  - id: t1\n   agent: worker-001\n",
    ["does not parse", "line 6"],
  ],
  [
    "ghost.yaml",
    AGENT + "tasks:\n  - {id: t1, agent: worker-001, title: A}\n" +
    "  - {id: t2, agent: ghost-001, title: B}\n",
    ["task 't2'", "unknown agent 'ghost-001'"],
  ],
  [
    "cycle.yaml",
    AGENT +
    "tasks:\n  - {id: a, agent: worker-001, title: A, dependsOn: [c]}\n" +
    "  - {id: b, agent: worker-001, title: B, dependsOn: [a]}\n" +
    "  - {id: c, agent: worker-001, title: C, dependsOn: [b]}\n" +
    "  - {id: d, agent: worker-001, title: D}\n",
    ["dependency cycle", "a → c → b → a"],
  ],
  [
    "type.yaml",
    AGENT +
    "tasks:\n  - {id: t1, agent: worker-001, title: A, dependsOn: t0}\n",
    ["tasks.0.dependsOn"],
  ],
  [
    "role.json",
    JSON.stringify({
      agents: [{ id: "worker-001", role: 7 }],
      tasks: [],
    }),
    ["agents.0.role"],
  ],
  [
    "dep.json",
    JSON.stringify({
      agents: [{ id: "worker-001", role: "worker" }],
      tasks: [{ id: "t1", agent: "worker-001", title: "A", dependsOn: ["t9"] }],
    }),
    ["task 't1'", "unknown task 't9'"],
  ],
  [
    // Named as such, not as a missing Claude Code (the default driver).
    "driver.json",
    JSON.stringify({
      agents: [{ id: "coder", role: "developer", driver: "aider" }],
      tasks: [{ id: "t1", agent: "coder", title: "A" }],
    }),
    [
      "agent 'coder' names unknown driver 'aider'",
      "known drivers: claude, codex, gemini, exec, shell, sim",
    ],
  ],
];

Deno.test("invalid plans exit 2 with one line naming the problem, and write nothing", async () => {
  await withProject(async (dir) => {
    const missing = await runMaos(
      ["orchestrate", "Go", "--plan", "no-such-plan.yaml"],
      { cwd: dir },
    );
    assertEquals(missing.code, 2, missing.stderr);
    assertIncludes(missing.stderr, "plan file not found");
    assertIncludes(missing.stderr, "no-such-plan.yaml");

    for (const [name, content, wanted] of BAD_PLANS) {
      fs.writeFileSync(path.join(dir, name), content);
      const run = await runMaos(["orchestrate", "Go", "--plan", name], {
        cwd: dir,
        // No Claude Code: an error about it would hide the plan's own.
        env: { MAOS_CLAUDE_BIN: "/nonexistent/claude" },
      });
      assertEquals(run.code, 2, `${name}: ${run.stderr}`);
      const first = run.stderr.split("\n")[0];
      assert(first.startsWith("maos: "), `${name}: ${run.stderr}`);
      assertIncludes(first, name);
      for (const part of wanted) assertIncludes(first, part);
      assert(!/\bat .*:\d+:\d+/.test(run.stderr), `${name}: stack trace`);
      assertEquals(run.stdout, "");
    }
    assert(!fs.existsSync(path.join(dir, ".maos")), "nothing was written");

    const flag = await runMaos(["orchestrate", "Go", "--driver", "aider"], {
      cwd: dir,
    });
    assertEquals(flag.code, 2, flag.stderr);
    assertIncludes(flag.stderr, "'aider' is invalid");
    assertIncludes(flag.stderr, "claude, codex, gemini, exec, shell, sim");
  });
});

Deno.test("a failing task fails its dependants, not its siblings; exit 1; resume retries it", async () => {
  await withProject(async (dir) => {
    // flaky fails on its first run only; sibling and its child are fine.
    const plan = writePlan(dir, {
      agents: [
        { id: "flaky-001", role: "flaky" },
        { id: "steady-001", role: "steady" },
        { id: "later-001", role: "later" },
      ],
      tasks: [
        {
          id: "flaky",
          agent: "flaky-001",
          title: "Fails once",
          run: "echo run >> runs/flaky\n" +
            "if [ $(wc -l < runs/flaky) -eq 1 ]; then echo 'disk on fire' >&2; exit 3; fi\n" +
            "echo fixed",
        },
        {
          id: "needs-flaky",
          agent: "later-001",
          title: "Needs flaky",
          dependsOn: ["flaky"],
          run: "echo run >> runs/needs-flaky",
        },
        {
          id: "sibling",
          agent: "steady-001",
          title: "Sibling",
          run: "sleep 0.2; echo run >> runs/sibling",
        },
        {
          id: "sibling-child",
          agent: "steady-001",
          title: "After the sibling",
          dependsOn: ["sibling"],
          run: "echo run >> runs/sibling-child",
        },
      ],
    });
    const run = await runMaos(["orchestrate", "Flaky", "--plan", plan], {
      cwd: dir,
    });
    assertEquals(run.code, 1, run.stdout + run.stderr);
    const [id] = orchestrationIds(dir);
    const failed = (await maosOk(["--json", "orchestration", "status", id], {
      cwd: dir,
    })).json<OrchestrationStatus>();
    assertEquals(failed.status, "failed");
    assertEquals(failed.tasks.map((t) => [t.id, t.status]), [
      ["flaky", "failed"],
      ["needs-flaky", "failed"],
      ["sibling", "completed"],
      ["sibling-child", "completed"],
    ]);
    assertEquals(countLines(dir, "runs/needs-flaky"), 0);
    const summaries = new Map<string, string>();
    for (const e of readEvents(dir, id)) {
      if (e.type === "task.status" && e.summary) {
        summaries.set(e.task, e.summary);
      }
    }
    assertIncludes(summaries.get("flaky")!, "exited with code 3: disk on fire");
    assertIncludes(summaries.get("needs-flaky")!, "dependency 'flaky' failed");

    const resumed = await runMaos(["orchestration", "resume", id], {
      cwd: dir,
    });
    assertEquals(resumed.code, 0, resumed.stdout + resumed.stderr);
    assertEquals(countLines(dir, "runs/flaky"), 2);
    assertEquals(countLines(dir, "runs/needs-flaky"), 1);
    assertEquals(countLines(dir, "runs/sibling"), 1);
    assertEquals(countLines(dir, "runs/sibling-child"), 1);
    const done = (await maosOk(["--json", "orchestration", "status", id], {
      cwd: dir,
    })).json<OrchestrationStatus>();
    assertEquals(done.status, "completed");
    assertEquals(done.agents.map((a) => a.status), [
      "completed",
      "completed",
      "completed",
    ]);
    assertContiguousSeq(readEvents(dir, id));
  });
});
