import nodeAssert from "node:assert/strict";
import { assertEquals } from "../../store/_test_util.ts";
import type {
  MaosEvent,
  NewEvent,
  OrchestrationState,
} from "../../store/schema.ts";
import { foldEvent } from "./state_fold.ts";

const CREATED: NewEvent = {
  type: "orchestration.created",
  id: "0123456789ab",
  request: "Add login",
  driver: "shell",
  maxParallel: 2,
  plan: {
    agents: [
      { id: "analyst-001", role: "analyst", instructions: "look" },
      { id: "dev-001", role: "dev", driver: "claude", instructions: "" },
    ],
    tasks: [
      {
        id: "t1",
        agent: "analyst-001",
        title: "Look",
        description: "",
        dependsOn: [],
        run: "ls",
      },
      {
        id: "t2",
        agent: "dev-001",
        title: "Build",
        description: "d",
        dependsOn: ["t1"],
      },
    ],
  },
};

/** Fold `events` (seq 1, 2 … and a time each) after the created event. */
function fold(...events: NewEvent[]): OrchestrationState {
  let state: OrchestrationState | undefined;
  [CREATED, ...events].forEach((e, i) => {
    state = foldEvent(state, stamp(e, i + 1));
  });
  return state!;
}

function stamp(event: NewEvent, seq: number): MaosEvent {
  return {
    ...event,
    seq,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
  } as MaosEvent;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

Deno.test("orchestration.created gives every agent and task a pending state", () => {
  const state = fold();
  assertEquals(state.status, "running");
  assertEquals(state.lastSeq, 1);
  assertEquals(state.createdAt, "2026-01-01T00:00:01.000Z");
  assertEquals(
    state.agents.map((a) => [a.id, a.driver, a.status, a.sessionId]),
    [["analyst-001", "shell", "pending", null], [
      "dev-001",
      "claude",
      "pending",
      null,
    ]],
  );
  assertEquals(state.tasks[0], {
    id: "t1",
    agent: "analyst-001",
    title: "Look",
    description: "",
    dependsOn: [],
    run: "ls",
    status: "pending",
    progress: 0,
    summary: null,
    starts: 0,
    resumeNote: null,
  });
  assertEquals("run" in state.tasks[1], false);
  nodeAssert.throws(
    () => foldEvent(undefined, stamp({ type: "orchestration.started" }, 1)),
    /comes before orchestration.created/,
  );
});

Deno.test("task events count starts, keep the resume note until completed, and set progress", () => {
  const interrupted = fold(
    { type: "task.status", task: "t1", status: "running" },
    { type: "task.progress", task: "t1", progress: 40 },
    {
      type: "task.status",
      task: "t1",
      status: "interrupted",
      summary: "cut",
      resumeNote: "step 1",
    },
    { type: "task.status", task: "t1", status: "running" },
  );
  const t1 = interrupted.tasks[0];
  assertEquals(
    [t1.status, t1.starts, t1.progress, t1.summary, t1.resumeNote],
    ["running", 2, 40, "cut", "step 1"],
  );
  assertEquals(interrupted.lastSeq, 5);
  assertEquals(interrupted.updatedAt, "2026-01-01T00:00:05.000Z");
  const done = foldEvent(
    interrupted,
    stamp({ type: "task.status", task: "t1", status: "completed" }, 6),
  ).tasks[0];
  assertEquals(
    [done.status, done.starts, done.progress, done.summary, done.resumeNote],
    ["completed", 2, 100, "cut", null],
  );
});

Deno.test("messages count per sender and in total; inboxOffset only moves forward", () => {
  const state = fold(
    {
      type: "message",
      from: "analyst-001",
      to: null,
      kind: "discovery",
      content: "a",
    },
    {
      type: "message",
      from: "user",
      to: "dev-001",
      kind: "info",
      content: "b",
      inboxEnd: 120,
    },
    {
      type: "message",
      from: "analyst-001",
      to: "dev-001",
      kind: "request",
      content: "c",
      inboxEnd: 80,
    },
  );
  assertEquals(state.messages, 3);
  assertEquals(state.agents.map((a) => a.messages), [2, 0]);
  assertEquals(state.inboxOffset, 120);
});

Deno.test("cost events add each invocation's dollars and tokens to its agent; the orchestration's are the sums", () => {
  const state = fold(
    {
      type: "cost",
      agent: "analyst-001",
      costUsd: 0.1,
      inputTokens: 10,
      outputTokens: 1,
    },
    {
      type: "cost",
      agent: "analyst-001",
      costUsd: 0.2,
      inputTokens: 20,
      outputTokens: 2,
    },
    // Codex without prices: tokens only.
    { type: "cost", agent: "dev-001", inputTokens: 300, outputTokens: 30 },
    {
      type: "cost",
      agent: "dev-001",
      costUsd: 0.2,
      inputTokens: 0,
      outputTokens: 0,
    },
  );
  assertEquals(state.agents.map((a) => a.cost), [0.3, 0.2]);
  assertEquals(state.agents.map((a) => a.inputTokens), [30, 300]);
  assertEquals(state.agents.map((a) => a.outputTokens), [3, 30]);
  // 0.1 + 0.2 + 0.2 is 0.5 in floating point only after rounding.
  assertEquals(state.cost, 0.5);
  assertEquals([state.inputTokens, state.outputTokens], [330, 33]);
});

Deno.test("a legacy cost event (totalUsd, written by an older maos) still sets the agent's cost as it did", () => {
  const state = fold(
    { type: "cost", agent: "analyst-001", totalUsd: 0.1 },
    { type: "cost", agent: "analyst-001", totalUsd: 0.3 },
    { type: "cost", agent: "dev-001", totalUsd: 0.2 },
  );
  assertEquals(state.agents.map((a) => a.cost), [0.3, 0.2]);
  assertEquals(state.cost, 0.5);
  assertEquals([state.inputTokens, state.outputTokens], [0, 0]);
});

Deno.test("lifecycle, settings, sessions and agent status events", () => {
  const state = fold(
    { type: "orchestration.started" },
    { type: "orchestration.settings", saveIntervalSeconds: 5 },
    { type: "agent.session", agent: "dev-001", sessionId: "s-1" },
    { type: "agent.status", agent: "dev-001", status: "paused" },
    { type: "orchestration.paused", reason: "signal" },
  );
  assertEquals(state.status, "paused");
  assertEquals(state.saveIntervalSeconds, 5);
  assertEquals(state.agents[1].sessionId, "s-1");
  assertEquals(state.agents[1].status, "paused");
  const resumed = foldEvent(
    state,
    stamp({ type: "orchestration.resumed" }, 7),
  );
  assertEquals(resumed.status, "running");
  assertEquals(
    foldEvent(
      resumed,
      stamp({ type: "agent.session", agent: "dev-001", sessionId: null }, 8),
    )
      .agents[1].sessionId,
    null,
  );
  const added = foldEvent(
    resumed,
    stamp({
      type: "task.added",
      task: {
        id: "followup-1",
        agent: "dev-001",
        title: "More",
        description: "more",
        dependsOn: [],
      },
    }, 8),
  );
  assertEquals(added.tasks.map((t) => [t.id, t.status]), [
    ["t1", "pending"],
    ["t2", "pending"],
    ["followup-1", "pending"],
  ]);
});

Deno.test("checkpoint.restored rewinds the state but not the seq or the ingested inbox", () => {
  const early = fold({ type: "task.status", task: "t1", status: "running" });
  const later = fold(
    { type: "task.status", task: "t1", status: "running" },
    { type: "task.status", task: "t1", status: "completed" },
    {
      type: "message",
      from: "user",
      to: null,
      kind: "info",
      content: "x",
      inboxEnd: 50,
    },
  );
  const restored = foldEvent(
    later,
    stamp({
      type: "checkpoint.restored",
      checkpoint: "aaaaaaaaaaaa",
      state: early,
    } as NewEvent, 5),
  );
  assertEquals(restored.tasks[0].status, "running");
  assertEquals(restored.messages, 0);
  assertEquals(restored.inboxOffset, 50);
  assertEquals(restored.lastSeq, 5);
});

Deno.test("folding never changes the state it is given", () => {
  const state = deepFreeze(fold(
    { type: "task.status", task: "t1", status: "running" },
  ));
  const copy = structuredClone(state);
  const events: NewEvent[] = [
    { type: "task.progress", task: "t1", progress: 50 },
    { type: "task.status", task: "t1", status: "completed" },
    { type: "agent.status", agent: "analyst-001", status: "completed" },
    {
      type: "message",
      from: "analyst-001",
      to: null,
      kind: "info",
      content: "m",
      inboxEnd: 10,
    },
    {
      type: "cost",
      agent: "dev-001",
      costUsd: 1,
      inputTokens: 5,
      outputTokens: 1,
    },
    { type: "orchestration.completed" },
  ];
  events.forEach((e, i) => foldEvent(state, stamp(e, 3 + i)));
  assertEquals(state, copy);
});

Deno.test("a session's running counters are kept with the agent until its session changes", () => {
  const totals = {
    inputTokens: 1000,
    cachedInputTokens: 200,
    outputTokens: 50,
  };
  const kept = fold(
    { type: "agent.session", agent: "dev-001", sessionId: "thread-1" },
    {
      type: "cost",
      agent: "dev-001",
      inputTokens: 1000,
      outputTokens: 50,
      sessionTotals: totals,
    },
    { type: "agent.session", agent: "dev-001", sessionId: "thread-1" },
  );
  assertEquals(kept.agents[1].sessionTotals, totals);
  const changed = fold(
    { type: "agent.session", agent: "dev-001", sessionId: "thread-1" },
    {
      type: "cost",
      agent: "dev-001",
      inputTokens: 1000,
      outputTokens: 50,
      sessionTotals: totals,
    },
    { type: "agent.session", agent: "dev-001", sessionId: null },
  );
  nodeAssert.ok(!("sessionTotals" in changed.agents[1]));
  assertEquals(changed.agents[1].inputTokens, 1000);
});

Deno.test("approvals fold: numbered requests, decisions, --always rules for the agent, answers told when the task starts again", () => {
  const input = { command: "node test.js" };
  const requested: NewEvent = {
    type: "approval.requested",
    n: 1,
    requestId: "r1",
    agent: "dev-001",
    task: "t2",
    tool: "Bash",
    input,
    callKey: "k1",
    inboxEnd: 40,
  };
  const pending = fold(requested);
  assertEquals(pending.inboxOffset, 40);
  assertEquals(pending.approvals?.map((a) => [a.n, a.status, a.decidedAt]), [
    [1, "pending", null],
  ]);
  const granted = fold(requested, {
    type: "approval.note",
    n: 1,
    note: "expired",
  }, {
    type: "approval.decided",
    n: 1,
    decision: "granted",
    always: true,
    rule: "Bash(node test.js)",
    by: "ann@box",
    decidedAt: "2026-01-01T00:10:00.000Z",
    inboxEnd: 90,
  });
  const [a] = granted.approvals!;
  assertEquals(
    [a.status, a.expired, a.always, a.by, a.decidedAt, a.told],
    ["granted", true, true, "ann@box", "2026-01-01T00:10:00.000Z", undefined],
  );
  assertEquals(granted.agents[1].alwaysAllow, ["Bash(node test.js)"]);
  assertEquals(granted.inboxOffset, 90);
  // A second decision on the same request changes nothing.
  const twice = fold(requested, {
    type: "approval.decided",
    n: 1,
    decision: "denied",
  }, { type: "approval.decided", n: 1, decision: "granted" });
  assertEquals(twice.approvals![0].status, "denied");
  // The task's next start marks the answer told.
  const told = fold(requested, {
    type: "approval.decided",
    n: 1,
    decision: "denied",
  }, { type: "task.status", task: "t2", status: "running" });
  assertEquals(told.approvals![0].told, true);
});

Deno.test("permission.denied counts per task and agent and keeps the first refusals to show", () => {
  const denied: NewEvent = {
    type: "permission.denied",
    agent: "dev-001",
    task: "t2",
    tool: "Bash",
    input: { command: "node   test.js", description: "run" },
  };
  const state = fold(denied, denied);
  assertEquals(state.tasks[1].refused, 2);
  assertEquals(state.tasks[1].refusals, [
    { tool: "Bash", input: "node test.js" },
    { tool: "Bash", input: "node test.js" },
  ]);
  assertEquals(state.agents[1].refused, 2);
  assertEquals(state.tasks[0].refused, undefined);
});

Deno.test("estimated cost events count at once and are taken back by the CLI's own figure; what stays is marked estimated", () => {
  const estimate: NewEvent = {
    type: "cost",
    agent: "dev-001",
    costUsd: 0.005,
    inputTokens: 1000,
    outputTokens: 1,
    estimated: true,
  };
  const streamed = fold(estimate, {
    ...estimate,
    costUsd: 0.0025,
    inputTokens: 0,
    outputTokens: 99,
  });
  assertEquals(streamed.agents[1].cost, 0.0075);
  assertEquals(streamed.agents[1].estimatedCost, 0.0075);
  assertEquals(streamed.estimatedCost, 0.0075);
  assertEquals([streamed.inputTokens, streamed.outputTokens], [1000, 100]);

  const exact = fold(
    estimate,
    { ...estimate, costUsd: 0.0025, inputTokens: 0, outputTokens: 99 },
    {
      type: "cost",
      agent: "dev-001",
      costUsd: 0.008,
      inputTokens: 1000,
      outputTokens: 120,
      replaces: { costUsd: 0.0075, inputTokens: 1000, outputTokens: 100 },
    },
  );
  assertEquals(exact.agents[1].cost, 0.008);
  assertEquals(exact.agents[1].estimatedCost, undefined);
  assertEquals(exact.estimatedCost, undefined);
  assertEquals([exact.inputTokens, exact.outputTokens], [1000, 120]);
});

Deno.test("orchestration.budget sets the budget as a new total", () => {
  const state = fold(
    { type: "orchestration.budget", usd: 1, tokens: null },
    { type: "orchestration.budget", usd: 2.5, tokens: 5000 },
  );
  assertEquals(state.budget, { usd: 2.5, tokens: 5000 });
});

Deno.test("a turn's token hash goes to its task's agent, which keeps the newest 8; refusals only move the inbox offset", () => {
  const turns: NewEvent[] = Array.from({ length: 10 }, (_, i) => ({
    type: "task.status",
    task: "t1",
    status: "running",
    tokenHash: `hash-${i}`,
  }));
  const state = fold(
    CREATED,
    ...turns,
    { type: "task.status", task: "t2", status: "running" },
    {
      type: "inbox.refused",
      from: "ghost-007",
      kind: "info",
      reason: "not an agent",
      inboxEnd: 120,
    },
  );
  const analyst = state.agents.find((a) => a.id === "analyst-001")!;
  assertEquals(
    analyst.turnTokens?.map((t) => t.hash),
    [2, 3, 4, 5, 6, 7, 8, 9].map((i) => `hash-${i}`),
  );
  assertEquals(analyst.turnTokens?.[0].task, "t1");
  // A turn without a token (an older maos) records none.
  assertEquals(
    state.agents.find((a) => a.id === "dev-001")!.turnTokens,
    undefined,
  );
  assertEquals([state.messages, state.inboxOffset], [0, 120]);
});
