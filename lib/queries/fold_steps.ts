/**
 * Small pure steps the state fold is made of: change one agent or task,
 * move the inbox offset, round a sum of dollars.
 *
 * @module
 */
import type {
  AgentState,
  OrchestrationState,
  TaskState,
} from "../../store/schema.ts";

/** A message-like event from the inbox moves the ingest offset. */
export function withInbox(
  state: OrchestrationState,
  inboxEnd: number | undefined,
): OrchestrationState {
  return inboxEnd === undefined
    ? state
    : { ...state, inboxOffset: Math.max(state.inboxOffset, inboxEnd) };
}

export function withAgent(
  state: OrchestrationState,
  id: string,
  change: (agent: AgentState) => AgentState,
): OrchestrationState {
  return {
    ...state,
    agents: state.agents.map((a) => (a.id === id ? change(a) : a)),
  };
}

export function withTask(
  state: OrchestrationState,
  id: string,
  change: (task: TaskState) => TaskState,
): OrchestrationState {
  return {
    ...state,
    tasks: state.tasks.map((t) => (t.id === id ? change(t) : t)),
  };
}

/** Sums of floats drift (0.1 + 0.2); a millionth of a dollar is plenty. */
export function roundUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
