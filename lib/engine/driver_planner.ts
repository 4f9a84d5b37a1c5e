import { ExitCode, MaosError } from "../../store/errors.ts";
import type { Plan } from "../../store/schema.ts";
import {
  type AgentDriver,
  type DriverEvent,
  MODEL_UNREACHABLE,
} from "../drivers/driver.ts";
import { validatePlan } from "./planner.ts";
import { stallNotice, type TurnLimits, TurnWatch } from "./turn_watch.ts";

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

/** The same hint for every driver: the agents would not reach the model either. */
const UNREACHABLE_HINT =
  "check the network and the API's base URL (ANTHROPIC_BASE_URL, the Codex provider, GOOGLE_GEMINI_BASE_URL), or use --driver shell or sim";

const AUTH_HINTS: Record<string, string> = {
  claude:
    "log in with `claude` then /login (or set a valid ANTHROPIC_API_KEY), or use --driver shell or sim",
  codex:
    "run `codex login` (or set the provider's API key), or use --driver shell or sim",
  gemini:
    "set GEMINI_API_KEY (a key the API accepts), or use --driver shell or sim",
};

export type PlannerResult =
  & (
    | { plan: Plan }
    /** `fatal` (a hint) when no agent could run either, e.g. not logged in. */
    | { error: string; fatal?: string }
  )
  & { spent?: PlannerSpend };

/** What the planner's request cost (its estimates netted against the CLI's figure). */
export interface PlannerSpend {
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

/**
 * Ask an agent CLI (Claude or Codex) for a plan and validate it. Anything but a valid
 * plan is returned as an error for the caller to fall back on the default team.
 */
export function planWithDriver(
  driver: AgentDriver,
  request: string,
  cwd: string,
  env: Record<string, string>,
  bounds?: { limits: TurnLimits; say(line: string): void; name: string },
): Promise<PlannerResult> {
  const spent: PlannerSpend = { costUsd: 0, inputTokens: 0, outputTokens: 0 };
  const add = (event: DriverEvent) => {
    if (event.type !== "usage") return;
    spent.costUsd += (event.costUsd ?? 0) - (event.replaces?.costUsd ?? 0);
    spent.inputTokens += event.inputTokens - (event.replaces?.inputTokens ?? 0);
    spent.outputTokens += event.outputTokens -
      (event.replaces?.outputTokens ?? 0);
  };
  return askPlanner(driver, request, cwd, env, bounds, add).then((result) =>
    spent.costUsd > 0 || spent.inputTokens + spent.outputTokens > 0
      ? { ...result, spent }
      : result
  );
}

async function askPlanner(
  driver: AgentDriver,
  request: string,
  cwd: string,
  env: Record<string, string>,
  bounds:
    | { limits: TurnLimits; say(line: string): void; name: string }
    | undefined,
  onEvent: (event: DriverEvent) => void,
): Promise<PlannerResult> {
  const stop = new AbortController();
  const kill = new AbortController();
  // Bounded like an agent's turn: a notice when it is silent, stopped at the limit.
  const watch = bounds && new TurnWatch(bounds.limits, {
    onStall: (ms, waitingFor) =>
      bounds.say(stallNotice(bounds.name, ms, waitingFor)),
    onTimeout: () => stop.abort(),
  });
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
      emit: (event) => {
        watch?.activity(
          event.type === "activity" ? event.waitingFor : undefined,
        );
        onEvent(event);
      },
    });
    if (watch?.timedOut) {
      // A model that does not answer the planner would not answer the
      // default team either: say so now, with nothing created.
      return {
        error: `${bounds!.name} gave no plan: ${
          watch.timedOut.replace("turnTimeoutSeconds", "planTimeoutSeconds")
        }`,
        fatal:
          "try again, raise planTimeoutSeconds in maos.json, or give a plan with --plan FILE",
      };
    }
    if (kill.signal.aborted) {
      throw new MaosError(
        "planning cancelled; nothing was started",
        ExitCode.paused,
      );
    }
    if (result.status !== "completed") {
      if (result.summary.startsWith(MODEL_UNREACHABLE)) {
        return { error: result.summary, fatal: UNREACHABLE_HINT };
      }
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
    watch?.close();
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
