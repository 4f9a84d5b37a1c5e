import { assertEquals } from "../../store/_test_util.ts";
import type {
  NewEvent,
  OrchestrationState,
  PlanTask,
  WorkStatus,
} from "../../store/schema.ts";
import { finalStatus, schedule } from "./scheduler.ts";
import { foldEvent } from "../queries/state_fold.ts";

/** A state with `tasks` (agent = the task's `agent`), each set to its status. */
function stateOf(
  tasks: (Pick<PlanTask, "id" | "agent"> & {
    dependsOn?: string[];
    status?: WorkStatus;
  })[],
): OrchestrationState {
  const agents = [...new Set(tasks.map((t) => t.agent))];
  const events: NewEvent[] = [{
    type: "orchestration.created",
    id: "0123456789ab",
    request: "r",
    driver: "sim",
    maxParallel: 4,
    plan: {
      agents: agents.map((id) => ({
        id,
        role: id.split("-")[0],
        instructions: "",
      })),
      tasks: tasks.map((t) => ({
        id: t.id,
        agent: t.agent,
        title: t.id,
        description: "",
        dependsOn: t.dependsOn ?? [],
      })),
    },
  }];
  for (const t of tasks) {
    if (t.status && t.status !== "pending") {
      events.push({ type: "task.status", task: t.id, status: t.status });
    }
  }
  let state: OrchestrationState | undefined;
  events.forEach((e, i) => {
    state = foldEvent(
      state,
      { ...e, seq: i + 1, at: new Date(0).toISOString() } as never,
    );
  });
  return state!;
}

const ids = (tasks: { id: string }[]) => tasks.map((t) => t.id);

Deno.test("tasks start when all their dependencies completed, in plan order", () => {
  const state = stateOf([
    { id: "a", agent: "x-001", status: "completed" },
    { id: "b", agent: "y-001", dependsOn: ["a"] },
    { id: "c", agent: "z-001", dependsOn: ["a", "d"] },
    { id: "d", agent: "w-001", status: "running" },
  ]);
  const next = schedule(state, new Set(["w-001"]), 4);
  assertEquals(ids(next.start), ["b"]);
  assertEquals(next.blocked, []);
});

Deno.test("one task per agent at a time, and at most maxParallel agents", () => {
  const state = stateOf([
    { id: "a1", agent: "a-001" },
    { id: "a2", agent: "a-001" },
    { id: "b1", agent: "b-001" },
    { id: "c1", agent: "c-001" },
  ]);
  assertEquals(ids(schedule(state, new Set(), 4).start), ["a1", "b1", "c1"]);
  assertEquals(ids(schedule(state, new Set(), 2).start), ["a1", "b1"]);
  // Busy agents count against the limit and get nothing new.
  assertEquals(ids(schedule(state, new Set(["a-001"]), 2).start), ["b1"]);
  assertEquals(ids(schedule(state, new Set(["a-001", "b-001"]), 2).start), []);
});

Deno.test("a failed task blocks its dependants, not its siblings", () => {
  const state = stateOf([
    { id: "root", agent: "r-001", status: "completed" },
    { id: "bad", agent: "b-001", dependsOn: ["root"], status: "failed" },
    { id: "child", agent: "c-001", dependsOn: ["bad"] },
    { id: "grandchild", agent: "c-001", dependsOn: ["child"] },
    { id: "sibling", agent: "s-001", dependsOn: ["root"] },
  ]);
  const next = schedule(state, new Set(), 4);
  assertEquals(ids(next.start), ["sibling"]);
  assertEquals(
    next.blocked.map((b) => [b.task.id, b.failedDependency]),
    [["child", "bad"]],
  );
  // Once child is failed too, the failure reaches the grandchild.
  const later = stateOf([
    { id: "bad", agent: "b-001", status: "failed" },
    { id: "child", agent: "c-001", dependsOn: ["bad"], status: "failed" },
    { id: "grandchild", agent: "c-001", dependsOn: ["child"] },
  ]);
  assertEquals(
    schedule(later, new Set(), 4).blocked.map((b) => b.task.id),
    ["grandchild"],
  );
});

Deno.test("paused and interrupted tasks run again; running, completed and failed ones don't", () => {
  const state = stateOf([
    { id: "p", agent: "a-001", status: "paused" },
    { id: "i", agent: "b-001", status: "interrupted" },
    { id: "r", agent: "c-001", status: "running" },
    { id: "c", agent: "d-001", status: "completed" },
    { id: "f", agent: "e-001", status: "failed" },
  ]);
  assertEquals(ids(schedule(state, new Set(["c-001"]), 10).start), ["p", "i"]);
});

Deno.test("the run completed only when every task completed", () => {
  assertEquals(
    finalStatus(stateOf([
      { id: "a", agent: "a-001", status: "completed" },
      { id: "b", agent: "b-001", status: "completed" },
    ])),
    "completed",
  );
  assertEquals(
    finalStatus(stateOf([
      { id: "a", agent: "a-001", status: "completed" },
      { id: "b", agent: "b-001", status: "failed" },
    ])),
    "failed",
  );
});
