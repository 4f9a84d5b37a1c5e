import type { OrchestrationState, TaskState } from "../../store/schema.ts";
import { pendingFor } from "../approvals/approvals_fold.ts";

export interface Schedule {
  /** Tasks that may start now, in plan order, within the parallelism limit. */
  start: TaskState[];
  /** Tasks that can never run because a dependency failed: they fail too. */
  blocked: { task: TaskState; failedDependency: string }[];
}

const UNFINISHED = new Set(["pending", "paused", "interrupted"]);

/**
 * Decide what runs next. A task starts when every dependency completed and
 * its agent is idle; at most `maxParallel` agents run at once. A failed task
 * fails its dependants, never its siblings.
 */
export function schedule(
  state: OrchestrationState,
  busyAgents: ReadonlySet<string>,
  maxParallel: number,
): Schedule {
  const byId = new Map(state.tasks.map((t) => [t.id, t]));
  const blocked: Schedule["blocked"] = [];
  const start: TaskState[] = [];
  const busy = new Set(busyAgents);
  for (const task of state.tasks) {
    if (!UNFINISHED.has(task.status)) continue;
    // Waits for a person's answer to one of its requests (lib/approvals/).
    if (pendingFor(state.approvals, task.id).length > 0) continue;
    const failed = task.dependsOn.find((dep) =>
      byId.get(dep)?.status === "failed"
    );
    if (failed) {
      blocked.push({ task, failedDependency: failed });
      continue;
    }
    const ready = task.dependsOn.every((dep) =>
      byId.get(dep)?.status === "completed"
    );
    if (!ready || busy.has(task.agent) || busy.size >= maxParallel) continue;
    busy.add(task.agent);
    start.push(task);
  }
  return { start, blocked };
}

/** How the run ends once nothing runs and nothing can start. */
export function finalStatus(state: OrchestrationState): "completed" | "failed" {
  return state.tasks.every((t) => t.status === "completed")
    ? "completed"
    : "failed";
}
