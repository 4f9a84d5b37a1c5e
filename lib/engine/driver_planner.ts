import { ExitCode, MaosError } from "../../store/errors.ts";
import type { Plan } from "../../store/schema.ts";
import type { AgentDriver } from "../drivers/driver.ts";
import { validatePlan } from "./planner.ts";

const PLAN_INSTRUCTIONS =
  `Plan this request for a team of AI coding agents working in this repository.
Reply with ONLY a JSON object, no prose, of this shape:
{"agents": [{"id": "analyst-001", "role": "analyst", "instructions": "…"}],
 "tasks": [{"id": "analyse", "agent": "analyst-001", "title": "…", "description": "…", "dependsOn": []}]}
Rules: 2 to 6 agents; ids are lowercase letters, digits and '-' (agents: <role>-001);
every task names one agent; dependsOn lists task ids that must finish first; no cycles;
tasks that can run in parallel should not depend on each other.`;

/** The CLIs maos asks for a plan, by driver name, as a person calls them. */
export const PLANNER_NAMES: Record<string, string> = {
  claude: "Claude",
  codex: "Codex",
  gemini: "Gemini",
};

/** Summaries of runs that failed for want of a login or key (claude.ts and codex.ts say so). */
const AUTH_FAILURE =
  /not logged in|API key was refused|has no API key|refused the key|cannot authenticate/i;

const AUTH_HINTS: Record<string, string> = {
  claude:
    "log in with `claude` then /login (or set a valid ANTHROPIC_API_KEY), or use --driver shell or sim",
  codex:
    "run `codex login` (or set the provider's API key), or use --driver shell or sim",
  gemini:
    "set GEMINI_API_KEY (a key the API accepts), or use --driver shell or sim",
};

export type PlannerResult =
  | { plan: Plan }
  /** `fatal` (a hint) when no agent could run either, e.g. not logged in. */
  | { error: string; fatal?: string };

/**
 * Ask an agent CLI (Claude or Codex) for a plan and validate it. Anything but a valid
 * plan is returned as an error for the caller to fall back on the default team.
 */
export async function planWithDriver(
  driver: AgentDriver,
  request: string,
  cwd: string,
  env: Record<string, string>,
): Promise<PlannerResult> {
  const stop = new AbortController();
  const kill = new AbortController();
  // Ctrl-C while planning: nothing is saved yet, so stop the planner at once.
  const onSignal = () => kill.abort();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const result = await driver.run({
      agent: {
        id: "planner",
        role: "planner",
        driver: driver.name,
        instructions: "You plan work for a team of coding agents.",
      },
      task: {
        id: "plan",
        agent: "planner",
        title: "Plan the request",
        description: PLAN_INSTRUCTIONS,
        dependsOn: [],
      },
      request,
      inbox: [],
      cwd,
      env,
      stop: stop.signal,
      kill: kill.signal,
      emit: () => {},
    });
    if (kill.signal.aborted) {
      throw new MaosError(
        "planning cancelled; nothing was started",
        ExitCode.paused,
      );
    }
    if (result.status !== "completed") {
      return AUTH_FAILURE.test(result.summary)
        ? { error: result.summary, fatal: AUTH_HINTS[driver.name] ?? "" }
        : { error: result.summary };
    }
    const json = extractJson(result.summary);
    if (json === undefined) return { error: "the reply held no JSON plan" };
    try {
      return { plan: validatePlan(json, "from the planner") };
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** The JSON object in a reply: the whole text, a ```json fence, or the outermost braces. */
export function extractJson(text: string): unknown {
  const candidates = [
    text.trim(),
    /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1],
    text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1),
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      return JSON.parse(candidate);
    } catch { /* try the next shape */ }
  }
  return undefined;
}
