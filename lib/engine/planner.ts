import { checkPlanPermissions } from "../approvals/permissions.ts";
import * as fs from "node:fs";
import { PERSON_SENDER } from "./agent_token.ts";
import YAML from "yaml";
import type { z } from "zod";
import { errnoCode, usageError } from "../../store/errors.ts";
import { describeZodError, type Plan, PlanSchema } from "../../store/schema.ts";
import { DRIVER_NAMES, isDriverName } from "../drivers/registry.ts";

/** The team used when no plan is given: analyst → developer → tester. */
export const DEFAULT_ROLES = ["analyst", "developer", "tester"];

const ROLE_WORK: Record<string, { title: string; instructions: string }> = {
  analyst: {
    title: "Analyse the request and the code it touches",
    instructions:
      "You are the analyst. Study the request and the repository, list what must change and the risks, " +
      "and share key findings with the team as discoveries.",
  },
  developer: {
    title: "Implement the change",
    instructions:
      "You are the developer. Implement the request following the analyst's findings; keep changes small and explain them.",
  },
  tester: {
    title: "Test the change",
    instructions:
      "You are the tester. Verify the developer's change: run the tests, add missing ones, report problems as messages.",
  },
  reviewer: {
    title: "Review the change",
    instructions:
      "You are the reviewer. Read the change critically and report what should be improved.",
  },
};

/** Read and validate a plan file (JSON or YAML); every error names the field or id. */
export function loadPlanFile(file: string): Plan {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw usageError(
      errnoCode(err) === "ENOENT"
        ? `plan file not found: ${file}`
        : `cannot read plan file ${file}: ${(err as Error).message}`,
      "give the path of a JSON or YAML plan, e.g. --plan examples/audit.yaml",
    );
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(file) ? YAML.parse(text) : JSON.parse(text);
  } catch (err) {
    throw usageError(
      `plan file ${file} does not parse: ${
        // YAML's first line ends with ':' before a code excerpt.
        (err as Error).message.split("\n")[0].replace(/:\s*$/, "")}`,
    );
  }
  return validatePlan(raw, file);
}

/** "agent 'tester-001': " when the schema's first issue is in an agent that has an id. */
function whoseField(raw: unknown, error: z.ZodError): string {
  const [list, i] = error.issues[0]?.path ?? [];
  if (list !== "agents" || typeof i !== "number") return "";
  const agents = (raw as { agents?: unknown })?.agents;
  const id = Array.isArray(agents)
    ? (agents[i] as { id?: unknown } | null)?.id
    : undefined;
  return typeof id === "string" && id ? `agent '${id}': ` : "";
}

/** Schema check, then the checks a schema can't express: unique ids, known references, no cycles. */
export function validatePlan(raw: unknown, source: string): Plan {
  const parsed = PlanSchema.safeParse(raw);
  if (!parsed.success) {
    throw usageError(
      `invalid plan ${source}: ${whoseField(raw, parsed.error)}${
        describeZodError(parsed.error)
      }`,
    );
  }
  const plan = parsed.data;
  const fail = (message: string) =>
    usageError(`invalid plan ${source}: ${message}`);
  const agentIds = new Set<string>();
  for (const agent of plan.agents) {
    if (agentIds.has(agent.id)) {
      throw fail(`agent id '${agent.id}' is used twice`);
    }
    // People's messages are signed `user` and need no agent token.
    if (agent.id === PERSON_SENDER) {
      throw fail(
        `agent id '${agent.id}' is reserved for people's messages; name the agent e.g. '${agent.id}-001'`,
      );
    }
    // Checked here, before any driver is looked for: an unknown name must be
    // named as such, not taken for a missing CLI of the default driver.
    if (agent.driver !== undefined && !isDriverName(agent.driver)) {
      throw fail(
        `agent '${agent.id}' names unknown driver '${agent.driver}' (known drivers: ${
          DRIVER_NAMES.join(", ")
        })`,
      );
    }
    agentIds.add(agent.id);
  }
  const taskIds = new Set<string>();
  for (const task of plan.tasks) {
    if (taskIds.has(task.id)) throw fail(`task id '${task.id}' is used twice`);
    taskIds.add(task.id);
  }
  for (const task of plan.tasks) {
    if (!agentIds.has(task.agent)) {
      throw fail(`task '${task.id}' names unknown agent '${task.agent}'`);
    }
    for (const dep of task.dependsOn) {
      if (!taskIds.has(dep)) {
        throw fail(`task '${task.id}' depends on unknown task '${dep}'`);
      }
    }
  }
  const cycle = findCycle(plan);
  if (cycle) throw fail(`dependency cycle: ${cycle.join(" → ")}`);
  checkPlanPermissions(plan, source);
  return plan;
}

function findCycle(plan: Plan): string[] | null {
  const deps = new Map(plan.tasks.map((t) => [t.id, t.dependsOn]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === "done") return null;
    if (state.get(id) === "visiting") {
      return [...stack.slice(stack.indexOf(id)), id];
    }
    state.set(id, "visiting");
    stack.push(id);
    for (const dep of deps.get(id) ?? []) {
      const found = visit(dep);
      if (found) return found;
    }
    stack.pop();
    state.set(id, "done");
    return null;
  };
  for (const task of plan.tasks) {
    const found = visit(task.id);
    if (found) return found;
  }
  return null;
}

/** The default team: one agent per role, each task depending on the previous one. */
export function defaultPlan(
  request: string,
  roles: string[] = DEFAULT_ROLES,
): Plan {
  if (roles.length === 0) {
    throw usageError(
      "--agents needs at least one role, e.g. --agents analyst,developer",
    );
  }
  const plan: Plan = { agents: [], tasks: [] };
  // Agents are numbered per role (`developer-001`), as everywhere else.
  const perRole = new Map<string, number>();
  roles.forEach((rawRole, index) => {
    const role = rawRole.trim().toLowerCase();
    if (!/^[a-z][a-z0-9_]{0,30}$/.test(role)) {
      throw usageError(
        `invalid role '${rawRole}' in --agents: use lowercase letters, digits or '_'`,
      );
    }
    const n = (perRole.get(role) ?? 0) + 1;
    perRole.set(role, n);
    const agentId = `${role}-${String(n).padStart(3, "0")}`;
    const work = ROLE_WORK[role] ?? {
      title: `Work on the request as ${role}`,
      instructions:
        `You are the ${role}. Contribute to the request from that angle and report what you find.`,
    };
    plan.agents.push({ id: agentId, role, instructions: work.instructions });
    plan.tasks.push({
      id: n === 1 ? `${role}-task` : `${role}-task-${n}`,
      agent: agentId,
      title: work.title,
      description: `${work.title} for: ${request}`,
      dependsOn: index === 0 ? [] : [plan.tasks[index - 1].id],
    });
  });
  return validatePlan(plan, "(default team)");
}
