import { assertEquals } from "../../store/_test_util.ts";
import { EventSchema, type MaosEvent } from "../../store/schema.ts";
import { TimelineFold } from "./timeline.ts";

const plan = {
  agents: [
    { id: "a-001", role: "a", instructions: "" },
    { id: "b-001", role: "b", instructions: "" },
  ],
  tasks: [
    { id: "one", agent: "a-001", title: "One", description: "", dependsOn: [] },
    { id: "two", agent: "b-001", title: "Two", description: "", dependsOn: [] },
  ],
};

/** Events as the log holds them (checked by the store's schema), one second apart. */
function log(...events: Record<string, unknown>[]): MaosEvent[] {
  return events.map((e, i) =>
    EventSchema.parse({
      seq: i + 1,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      ...e,
    })
  );
}
const t = (i: number) => Date.UTC(2026, 0, 1, 0, 0, i);
const created = {
  type: "orchestration.created",
  id: "0123456789ab",
  request: "r",
  driver: "shell",
  maxParallel: 2,
  plan,
};

function fold(events: MaosEvent[]) {
  const f = new TimelineFold();
  for (const e of events) f.add(e);
  return f.data();
}

Deno.test("a pause ends the running turns as paused, and a resume while running is a crash gap from the last event", () => {
  const data = fold(log(
    created,
    { type: "orchestration.started" }, // 1
    { type: "task.status", task: "one", status: "running" }, // 2
    { type: "task.status", task: "two", status: "running" }, // 3
    { type: "orchestration.paused", reason: "signal" }, // 4
    { type: "orchestration.resumed" }, // 5
    { type: "task.status", task: "two", status: "running" }, // 6
    { type: "task.progress", task: "two", progress: 50 }, // 7: then kill -9
    { type: "orchestration.resumed" }, // 8
    { type: "task.status", task: "two", status: "running" }, // 9
    { type: "task.status", task: "two", status: "completed" }, // 10
    { type: "orchestration.completed" }, // 11
  ));
  assertEquals(
    data.turns.map((x) => [x.task, x.start, x.end, x.outcome]),
    [
      ["one", t(2), t(4), "paused"],
      ["two", t(3), t(4), "paused"],
      ["two", t(6), t(7), "interrupted"],
      ["two", t(9), t(10), "completed"],
    ],
  );
  assertEquals(
    data.marks.map((m) => [m.kind, m.at, m.until]),
    [
      ["start", t(1), undefined],
      ["pause", t(4), undefined],
      ["resume", t(5), undefined],
      ["crash", t(7), t(8)],
      ["resume", t(8), undefined],
      ["end", t(11), undefined],
    ],
  );
  assertEquals([data.startedAt, data.endedAt], [t(1), t(11)]);
});

Deno.test("messages are kept in log order; a sender outside the plan gets a lane; cost is cumulative per agent", () => {
  const data = fold(log(
    created,
    { type: "orchestration.started" },
    {
      type: "message",
      from: "a-001",
      to: "b-001",
      kind: "request",
      content: "<b>hi</b>",
    },
    { type: "message", from: "user", to: null, kind: "info", content: "x" },
    { type: "cost", agent: "a-001", costUsd: 0.5, inputTokens: 10 },
    { type: "cost", agent: "a-001", costUsd: 0.25, outputTokens: 5 },
  ));
  assertEquals(data.messages, [
    [3, t(2), "a-001", "b-001", "request", "<b>hi</b>"],
    [4, t(3), "user", null, "info", "x"],
  ]);
  assertEquals(data.outsiders, ["user"]);
  assertEquals(
    data.cost.map((c) => [c.agent, c.usd, c.tokens, c.totalUsd]),
    [["a-001", 0.5, 10, 0.5], ["a-001", 0.75, 15, 0.75]],
  );
});

Deno.test("a fork's log begins with a restore at seq 2; a later restore is a restore mark", () => {
  const checkpoint = "abcdefabcdef";
  const base = fold(log(created, { type: "orchestration.started" }));
  const state = base.state!;
  const data = fold(log(
    created,
    { type: "checkpoint.restored", checkpoint, state },
    { type: "orchestration.resumed" },
    {
      type: "checkpoint.restored",
      checkpoint,
      state: { ...state, lastSeq: 3 },
    },
  ));
  assertEquals(data.marks.map((m) => m.kind), ["fork", "resume", "restore"]);
});

Deno.test("approvals, refusals and budgets (events of other rooms) are read loosely, by type name", () => {
  const f = new TimelineFold();
  for (const e of log(created, { type: "orchestration.started" })) f.add(e);
  const loose = (seq: number, fields: Record<string, unknown>) =>
    ({
      seq,
      at: new Date(t(seq)).toISOString(),
      ...fields,
    }) as unknown as MaosEvent;
  f.add(
    loose(3, {
      type: "approval.requested",
      n: 1,
      agent: "a-001",
      tool: "Bash",
    }),
  );
  f.add(loose(4, { type: "approval.decided", n: 1, decision: "granted" }));
  f.add(loose(5, { type: "permission.denied", agent: "b-001", tool: "Edit" }));
  f.add(loose(6, { type: "budget.reached", usd: 1, spentUsd: 1.2 }));
  const data = f.data();
  assertEquals(data.approvals, [
    { n: 1, agent: "a-001", tool: "Bash", at: t(3), decision: "granted" },
  ]);
  assertEquals(
    data.marks.slice(1).map((m) => [m.kind, m.agent, m.label]),
    [
      ["approval", "a-001", "approval #1 asked: Bash"],
      ["approval", "a-001", "approval #1 granted"],
      ["denied", "b-001", "refused: Edit"],
      ["budget", undefined, "budget.reached"],
    ],
  );
  assertEquals(data.budget, { usd: 1, spentUsd: 1.2, event: "budget.reached" });
});

Deno.test("the budget an orchestration runs with (orchestration.budget) is its header's budget and a mark", () => {
  const data = fold(log(
    created,
    { type: "orchestration.budget", usd: 1, tokens: null },
    { type: "orchestration.started" },
  ));
  assertEquals(data.budget, {
    usd: 1,
    tokens: null,
    event: "orchestration.budget",
  });
  assertEquals(data.marks.some((m) => m.kind === "budget"), true);
});
