import * as fs from "node:fs";
import * as path from "node:path";
import {
  assertEquals,
  assertMaosError,
  withTempDir,
} from "../../store/_test_util.ts";
import { defaultPlan, loadPlanFile, validatePlan } from "./planner.ts";

const agent = (id: string) => ({ id, role: id.split("-")[0] });
const task = (id: string, agentId: string, dependsOn: string[] = []) => ({
  id,
  agent: agentId,
  title: `Do ${id}`,
  dependsOn,
});

Deno.test("a YAML plan and the same plan in JSON load alike, with defaults filled in", async () => {
  await withTempDir((dir) => {
    const yaml = path.join(dir, "plan.yaml");
    fs.writeFileSync(
      yaml,
      "agents:\n  - id: dev-001\n    role: dev\ntasks:\n" +
        "  - id: build\n    agent: dev-001\n    title: Build\n    run: make\n",
    );
    const json = path.join(dir, "plan.json");
    fs.writeFileSync(
      json,
      JSON.stringify({
        agents: [{ id: "dev-001", role: "dev" }],
        tasks: [{ id: "build", agent: "dev-001", title: "Build", run: "make" }],
      }),
    );
    const expected = {
      agents: [{ id: "dev-001", role: "dev", instructions: "" }],
      tasks: [{
        id: "build",
        agent: "dev-001",
        title: "Build",
        description: "",
        dependsOn: [],
        run: "make",
      }],
    };
    assertEquals(loadPlanFile(yaml), expected);
    assertEquals(loadPlanFile(json), expected);
  });
});

Deno.test("a missing or unparsable plan file is a usage error naming the file", async () => {
  await withTempDir((dir) => {
    const missing = path.join(dir, "nope.yaml");
    assertMaosError(() => loadPlanFile(missing), 2, "not found", missing);
    const broken = path.join(dir, "broken.json");
    fs.writeFileSync(broken, "{ agents: ");
    assertMaosError(() => loadPlanFile(broken), 2, "does not parse", broken);
    const yaml = path.join(dir, "broken.yaml");
    fs.writeFileSync(yaml, "agents:\n  - id: a\n   role: x\n");
    const err = assertMaosError(() => loadPlanFile(yaml), 2, "line 3");
    // YAML's message goes on to a code excerpt: only its first line, no dangling ':'.
    assertEquals(err.message.endsWith(":"), false);
  });
});

Deno.test("validatePlan names the field, the duplicate id, the unknown agent or task", () => {
  assertMaosError(
    () => validatePlan({ agents: [{ id: "a-001" }], tasks: [] }, "p.yaml"),
    2,
    "invalid plan p.yaml",
    "agents.0.role",
  );
  assertMaosError(
    () =>
      validatePlan({
        agents: [agent("a-001"), agent("a-001")],
        tasks: [task("t1", "a-001")],
      }, "p"),
    2,
    "agent id 'a-001' is used twice",
  );
  assertMaosError(
    () =>
      validatePlan({
        agents: [agent("user")],
        tasks: [task("t1", "user")],
      }, "p"),
    2,
    "agent id 'user' is reserved for people's messages",
  );
  assertMaosError(
    () =>
      validatePlan({
        agents: [agent("a-001")],
        tasks: [task("t1", "a-001"), task("t1", "a-001")],
      }, "p"),
    2,
    "task id 't1' is used twice",
  );
  assertMaosError(
    () =>
      validatePlan({
        agents: [agent("a-001")],
        tasks: [task("t1", "b-001")],
      }, "p"),
    2,
    "task 't1' names unknown agent 'b-001'",
  );
  assertMaosError(
    () =>
      validatePlan({
        agents: [agent("a-001")],
        tasks: [task("t1", "a-001", ["t0"])],
      }, "p"),
    2,
    "task 't1' depends on unknown task 't0'",
  );
});

Deno.test("validatePlan finds dependency cycles, self-loops included, and names them", () => {
  assertMaosError(
    () =>
      validatePlan({
        agents: [agent("a-001")],
        tasks: [
          task("start", "a-001"),
          task("x", "a-001", ["start", "z"]),
          task("y", "a-001", ["x"]),
          task("z", "a-001", ["y"]),
        ],
      }, "p"),
    2,
    "dependency cycle: x → z → y → x",
  );
  assertMaosError(
    () =>
      validatePlan({
        agents: [agent("a-001")],
        tasks: [task("me", "a-001", ["me"])],
      }, "p"),
    2,
    "dependency cycle: me → me",
  );
  // A diamond is no cycle.
  const diamond = validatePlan({
    agents: [agent("a-001")],
    tasks: [
      task("top", "a-001"),
      task("left", "a-001", ["top"]),
      task("right", "a-001", ["top"]),
      task("bottom", "a-001", ["left", "right"]),
    ],
  }, "p");
  assertEquals(diamond.tasks.length, 4);
});

Deno.test("the default team is analyst → developer → tester, a chain, one agent per role", () => {
  const plan = defaultPlan("Add login");
  assertEquals(plan.agents.map((a) => [a.id, a.role]), [
    ["analyst-001", "analyst"],
    ["developer-001", "developer"],
    ["tester-001", "tester"],
  ]);
  assertEquals(plan.tasks.map((t) => [t.id, t.agent, t.dependsOn]), [
    ["analyst-task", "analyst-001", []],
    ["developer-task", "developer-001", ["analyst-task"]],
    ["tester-task", "tester-001", ["developer-task"]],
  ]);
  for (const t of plan.tasks) {
    assertEquals(t.description.includes("Add login"), true);
  }
});

Deno.test("--agents numbers agents per role and keeps ids unique; bad roles are usage errors", () => {
  const plan = defaultPlan("x", ["Developer", "developer", "Poet"]);
  assertEquals(plan.agents.map((a) => a.id), [
    "developer-001",
    "developer-002",
    "poet-001",
  ]);
  assertEquals(plan.tasks.map((t) => t.id), [
    "developer-task",
    "developer-task-2",
    "poet-task",
  ]);
  assertEquals(plan.agents[2].instructions.includes("poet"), true);
  assertMaosError(() => defaultPlan("x", []), 2, "at least one role");
  assertMaosError(
    () => defaultPlan("x", ["../etc"]),
    2,
    "invalid role '../etc'",
  );
});

Deno.test("a plan's bad permissions field names the agent by its id, not only its index", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "plan.yaml");
    fs.writeFileSync(
      file,
      "agents:\n  - id: tester-001\n    role: tester\n    permissions:\n" +
        "      alow: [Bash(node test.js)]\n" +
        "tasks:\n  - id: test\n    agent: tester-001\n    title: Test\n",
    );
    assertMaosError(
      () => loadPlanFile(file),
      2,
      "agent 'tester-001': agents.0.permissions",
      "alow",
    );
  });
});
