/**
 * An agent's permissions as its driver gets them: maos.json's defaults for
 * every agent, then its driver's, then the plan's, then the rules granted
 * with `--always` (lib/approvals/rules.ts has the rule syntax).
 *
 * @module
 */
import { usageError } from "../../store/errors.ts";
import type {
  AgentState,
  Config,
  Permissions,
  Plan,
} from "../../store/schema.ts";
import { ruleProblem } from "./rules.ts";

/** What a driver maps onto its CLI (see the README's table). */
export interface EffectivePermissions {
  allow: string[];
  deny: string[];
  mode?: Permissions["mode"];
  sandbox?: Permissions["sandbox"];
}

function driverDefaults(
  config: Config,
  driver: string,
): Permissions | undefined {
  const drivers = config.drivers as Record<
    string,
    { permissions?: Permissions } | string | undefined
  >;
  const entry = drivers[driver];
  return typeof entry === "object" ? entry.permissions : undefined;
}

/**
 * Layered, later wins for `mode` and `sandbox`; rules add up (a rule
 * present twice is kept once).
 *
 * @example
 * effectivePermissions(config, agent).allow; // ["Bash(npm test:*)", "Bash(node test.js)"]
 */
export function effectivePermissions(
  config: Config,
  agent: Pick<AgentState, "driver" | "permissions" | "alwaysAllow">,
): EffectivePermissions {
  const layers = [
    config.permissions,
    driverDefaults(config, agent.driver),
    agent.permissions,
  ].filter((p): p is Permissions => p !== undefined);
  const allow = new Set<string>();
  const deny = new Set<string>();
  let mode: Permissions["mode"];
  let sandbox: Permissions["sandbox"];
  for (const layer of layers) {
    for (const rule of layer.allow ?? []) allow.add(rule);
    for (const rule of layer.deny ?? []) deny.add(rule);
    mode = layer.mode ?? mode;
    sandbox = layer.sandbox ?? sandbox;
  }
  for (const rule of agent.alwaysAllow ?? []) allow.add(rule);
  return {
    allow: [...allow],
    deny: [...deny],
    ...(mode ? { mode } : {}),
    ...(sandbox ? { sandbox } : {}),
  };
}

/** Throws a usage error (exit 2) naming `where` and the first bad rule. */
function checkRules(where: string, permissions: Permissions | undefined): void {
  for (const list of ["allow", "deny"] as const) {
    for (const rule of permissions?.[list] ?? []) {
      const problem = ruleProblem(rule);
      if (problem) {
        throw usageError(
          `${where}: permissions.${list} rule '${rule}' is not valid: ${problem}`,
          "rules use Claude Code's syntax, e.g. Bash(npm test:*), Bash(node test.js), Edit, WebFetch",
        );
      }
    }
  }
}

/**
 * Every rule of a plan, checked when the plan is read: exit 2 naming the
 * agent and the rule.
 */
export function checkPlanPermissions(plan: Plan, source: string): void {
  for (const agent of plan.agents) {
    checkRules(
      `invalid plan ${source}: agent '${agent.id}'`,
      agent.permissions,
    );
  }
}

/** The rules of maos.json (every agent's and each driver's defaults). */
export function checkConfigPermissions(config: Config): void {
  checkRules("maos.json", config.permissions);
  for (const name of ["claude", "codex", "gemini"]) {
    checkRules(`maos.json drivers.${name}`, driverDefaults(config, name));
  }
}

/**
 * What a plan asks of an agent that its CLI cannot do, one line each, to
 * say before the run: Codex under `codex exec` has no tool rules and no
 * permission modes (its sandbox is the boundary); Claude Code no sandbox.
 */
export function unhonouredPermissions(
  agents: Pick<AgentState, "id" | "driver" | "permissions">[],
): string[] {
  const lines: string[] = [];
  for (const agent of agents) {
    const p = agent.permissions;
    if (!p) continue;
    if (agent.driver === "codex") {
      const fields = (["allow", "deny", "mode"] as const).filter((k) =>
        Array.isArray(p[k]) ? (p[k] as string[]).length > 0 : p[k] !== undefined
      );
      if (fields.length) {
        lines.push(
          `${agent.id}: Codex does not honour permissions.${
            fields.join("/")
          } (codex exec cannot ask); only permissions.sandbox applies`,
        );
      }
    } else if (agent.driver === "claude" && p.sandbox) {
      lines.push(
        `${agent.id}: permissions.sandbox is a Codex setting; Claude Code follows allow, deny and mode`,
      );
    }
  }
  return lines;
}
