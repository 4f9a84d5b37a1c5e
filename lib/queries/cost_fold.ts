/**
 * What a `cost` event means: an agent's spend and tokens add up (a CLI's
 * exact figure replacing the estimates streamed before it), and the
 * orchestration's totals are the agents' plus the planner's.
 *
 * @module
 */
import type {
  AgentState,
  MaosEvent,
  OrchestrationState,
} from "../../store/schema.ts";
import { roundUsd, withAgent } from "./fold_steps.ts";

type CostEvent = Extract<MaosEvent, { type: "cost" }>;

export function foldCost(
  state: OrchestrationState,
  event: CostEvent,
): OrchestrationState {
  if (event.planner) return withPlannerCost(state, event);
  // One invocation's spend adds up; a legacy `totalUsd` sets (schema.ts).
  // The CLI's own figure takes off the estimates streamed before it.
  const back = event.replaces;
  const updated = withAgent(state, event.agent, (a) => {
    const estimated = roundUsd(
      (a.estimatedCost ?? 0) +
        (event.estimated ? event.costUsd ?? 0 : 0) - (back?.costUsd ?? 0),
    );
    const { estimatedCost: _, ...rest } = a;
    return {
      ...rest,
      cost: event.totalUsd ??
        Math.max(
          0,
          roundUsd(a.cost + (event.costUsd ?? 0) - (back?.costUsd ?? 0)),
        ),
      inputTokens: Math.max(
        0,
        a.inputTokens + (event.inputTokens ?? 0) - (back?.inputTokens ?? 0),
      ),
      outputTokens: Math.max(
        0,
        a.outputTokens + (event.outputTokens ?? 0) -
          (back?.outputTokens ?? 0),
      ),
      ...(estimated > 0 ? { estimatedCost: estimated } : {}),
      ...(event.sessionTotals ? { sessionTotals: event.sessionTotals } : {}),
    };
  });
  const planner = state.plannerCost;
  const sum = (of: (a: AgentState) => number) =>
    updated.agents.reduce((total, a) => total + of(a), 0);
  const { estimatedCost: _, ...rest } = updated;
  const estimated = roundUsd(sum((a) => a.estimatedCost ?? 0));
  return {
    ...rest,
    cost: roundUsd(sum((a) => a.cost) + (planner?.costUsd ?? 0)),
    ...(estimated > 0 ? { estimatedCost: estimated } : {}),
    inputTokens: sum((a) => a.inputTokens) + (planner?.inputTokens ?? 0),
    outputTokens: sum((a) => a.outputTokens) +
      (planner?.outputTokens ?? 0),
  };
}

/** The planner's spend: kept apart, and in the orchestration's totals. */
function withPlannerCost(
  state: OrchestrationState,
  event: CostEvent,
): OrchestrationState {
  const was = state.plannerCost ??
    { costUsd: 0, inputTokens: 0, outputTokens: 0 };
  const add = {
    costUsd: roundUsd(event.costUsd ?? 0),
    inputTokens: event.inputTokens ?? 0,
    outputTokens: event.outputTokens ?? 0,
  };
  return {
    ...state,
    plannerCost: {
      costUsd: roundUsd(was.costUsd + add.costUsd),
      inputTokens: was.inputTokens + add.inputTokens,
      outputTokens: was.outputTokens + add.outputTokens,
    },
    cost: roundUsd(state.cost + add.costUsd),
    inputTokens: state.inputTokens + add.inputTokens,
    outputTokens: state.outputTokens + add.outputTokens,
  };
}
