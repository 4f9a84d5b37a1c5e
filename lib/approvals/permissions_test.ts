import { assertEquals, thrown } from "../drivers/_test_assert.ts";
import { ConfigSchema, type Plan } from "../../store/schema.ts";
import {
  checkConfigPermissions,
  checkPlanPermissions,
  effectivePermissions,
  unhonouredPermissions,
} from "./permissions.ts";

const config = ConfigSchema.parse({
  formatVersion: 1,
  permissions: { allow: ["Read"], mode: "acceptEdits" },
  drivers: {
    claude: {
      permissions: { allow: ["Bash(npm test:*)"], deny: ["WebFetch"] },
    },
    codex: { permissions: { sandbox: "read-only" } },
  },
});

Deno.test("permissions layer: maos.json for all, then the driver's, then the plan's, then --always grants", () => {
  assertEquals(
    effectivePermissions(config, {
      driver: "claude",
      permissions: { allow: ["Bash(node test.js)", "Read"], mode: "default" },
      alwaysAllow: ["Bash(make)"],
    }),
    {
      allow: ["Read", "Bash(npm test:*)", "Bash(node test.js)", "Bash(make)"],
      deny: ["WebFetch"],
      mode: "default",
    },
  );
  assertEquals(effectivePermissions(config, { driver: "codex" }), {
    allow: ["Read"],
    deny: [],
    mode: "acceptEdits",
    sandbox: "read-only",
  });
  assertEquals(
    effectivePermissions(config, {
      driver: "codex",
      permissions: { sandbox: "workspace-write" },
    }).sandbox,
    "workspace-write",
  );
});

Deno.test("a bad rule in a plan is a usage error naming the agent and the rule", () => {
  const plan: Plan = {
    agents: [
      { id: "dev-001", role: "developer", instructions: "" },
      {
        id: "tester-001",
        role: "tester",
        instructions: "",
        permissions: { allow: ["Bash(node test.js)"], deny: ["bash(rm:*)"] },
      },
    ],
    tasks: [],
  };
  const err = thrown(() => checkPlanPermissions(plan, "plan.json"));
  assertEquals(err.code, 2);
  assertEquals(
    err.message,
    "invalid plan plan.json: agent 'tester-001': permissions.deny rule 'bash(rm:*)' is not valid: tool names start with a capital letter: 'Bash'",
  );
});

Deno.test("a bad rule in maos.json names where it is", () => {
  checkConfigPermissions(config);
  const bad = ConfigSchema.parse({
    formatVersion: 1,
    drivers: { claude: { permissions: { allow: ["Edit("] } } },
  });
  const err = thrown(() => checkConfigPermissions(bad));
  assertEquals(
    err.message.startsWith(
      "maos.json drivers.claude: permissions.allow rule 'Edit(' is not valid",
    ),
    true,
    err.message,
  );
});

Deno.test("what a CLI cannot honour is said before the run", () => {
  assertEquals(
    unhonouredPermissions([
      {
        id: "c-001",
        driver: "codex",
        permissions: { allow: ["Edit"], sandbox: "read-only" },
      },
      {
        id: "c-002",
        driver: "codex",
        permissions: { sandbox: "read-only", allow: [] },
      },
      { id: "a-001", driver: "claude", permissions: { sandbox: "read-only" } },
      { id: "a-002", driver: "claude", permissions: { allow: ["Edit"] } },
    ]),
    [
      "c-001: Codex does not honour permissions.allow (codex exec cannot ask); only permissions.sandbox applies",
      "a-001: permissions.sandbox is a Codex setting; Claude Code follows allow, deny and mode",
    ],
  );
});
