import assert from "node:assert/strict";
import type { MaosEvent, OrchestrationState } from "../../store/schema.ts";
import { LiveView, type LiveViewOptions } from "./live_view.ts";

function state(
  overrides: Partial<OrchestrationState> = {},
): OrchestrationState {
  return {
    id: "a1b2c3d4e5f6",
    request: "Add validation",
    status: "running",
    driver: "shell",
    maxParallel: 2,
    saveIntervalSeconds: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:01:05.000Z",
    agents: [{
      id: "developer-001",
      role: "developer",
      driver: "shell",
      instructions: "",
      status: "running",
      sessionId: null,
      messages: 1,
      cost: 0.5,
      inputTokens: 0,
      outputTokens: 0,
    }],
    tasks: [{
      id: "build",
      agent: "developer-001",
      title: "Build it",
      description: "",
      dependsOn: [],
      status: "running",
      progress: 0,
      summary: null,
      starts: 1,
      resumeNote: null,
    }],
    messages: 1,
    cost: 0.5,
    inputTokens: 0,
    outputTokens: 0,
    inboxOffset: 0,
    lastSeq: 3,
    ...overrides,
  };
}

function view(options: Partial<LiveViewOptions> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const live = new LiveView({
    sink: { write: (t: string) => out.push(t), isTTY: false },
    warnSink: { write: (t: string) => err.push(t) },
    color: false,
    progress: true,
    quiet: false,
    ...options,
  });
  return { live, out: () => out.join(""), err: () => err.join("") };
}

const at = "2026-01-01T00:00:10.000Z";

Deno.test("the live view prints tasks, messages and agent output as readable lines, each event once", () => {
  const { live, out } = view();
  const started: MaosEvent = {
    seq: 2,
    at,
    type: "task.status",
    task: "build",
    status: "running",
  };
  live.event(started, state());
  live.event(started, state()); // reported twice by the engine: printed once
  live.output("developer-001", "compiling");
  live.event(
    {
      seq: 3,
      at,
      type: "message",
      from: "developer-001",
      to: null,
      kind: "discovery",
      content: "uses zod",
    },
    state(),
  );
  live.event(
    {
      seq: 4,
      at,
      type: "task.status",
      task: "build",
      status: "completed",
      summary: "done\nall good",
    },
    state({
      tasks: [{ ...state().tasks[0], status: "completed", progress: 100 }],
    }),
  );
  live.finish("completed");
  assert.equal(
    out(),
    [
      "🔄 [developer-001] started: Build it",
      "[developer-001] compiling",
      "💡 [developer-001 → all] uses zod",
      "✅ [developer-001] completed: Build it (1/1) — done all good",
      "✅ Orchestration completed (1/1 tasks · 1 message · $0.5000 · 1m 05s)",
      "",
    ].join("\n"),
  );
  assert.equal(live.orchestrationId, "a1b2c3d4e5f6");
});

Deno.test("the live view: --no-progress keeps only lines, --quiet keeps warnings and the result", () => {
  const noProgress = view({ progress: false });
  noProgress.live.line("✓ Message bus restored");
  noProgress.live.output("developer-001", "compiling");
  noProgress.live.event({
    seq: 2,
    at,
    type: "task.status",
    task: "build",
    status: "running",
  }, state());
  assert.equal(noProgress.out(), "✓ Message bus restored\n");

  const quiet = view({ quiet: true });
  quiet.live.line("✓ Message bus restored");
  quiet.live.event(
    { seq: 2, at, type: "orchestration.failed", reason: "x" },
    state({ status: "failed" }),
  );
  quiet.live.finish("failed");
  quiet.live.warn("\nPausing…");
  assert.equal(
    quiet.out(),
    "❌ Orchestration failed: x (0/1 tasks · 1 message · $0.5000 · 1m 05s)\n",
  );
  assert.equal(quiet.err(), "\nPausing…\n");
});

Deno.test("with --quiet a run that completes still prints its result line", () => {
  const quiet = view({ quiet: true });
  quiet.live.line("🚀 Orchestration a1b2c3d4: 1 agent, 1 task");
  quiet.live.output("developer-001", "compiling");
  quiet.live.event(
    { seq: 4, at, type: "task.status", task: "build", status: "completed" },
    state({
      tasks: [{ ...state().tasks[0], status: "completed", progress: 100 }],
    }),
  );
  quiet.live.finish("completed");
  assert.equal(
    quiet.out(),
    "✅ Orchestration completed (1/1 tasks · 1 message · $0.5000 · 1m 05s)\n",
  );
});

Deno.test("with --quiet a paused run still says how to resume", () => {
  const quiet = view({ quiet: true });
  quiet.live.line("✓ Message bus restored");
  quiet.live.event(
    { seq: 6, at, type: "orchestration.paused", reason: "signal" },
    state({ status: "paused" }),
  );
  quiet.live.line(
    "⏸️ Orchestration paused. Resume with: maos orchestration resume a1b2c3d4",
  );
  quiet.live.line("💾 State saved. 1 agent paused, 1 message preserved.");
  quiet.live.finish("paused");
  assert.equal(
    quiet.out(),
    "⏸️ Orchestration paused. Resume with: maos orchestration resume a1b2c3d4\n" +
      "💾 State saved. 1 agent paused, 1 message preserved.\n",
  );
});

Deno.test("escape codes and control characters from agents never reach the terminal", () => {
  const { live, out, err } = view();
  const evil = "\x1b]0;pwned\x07 \x1b[31mred\x1b[0m\x07";
  const s = state({
    request: `req ${evil}`,
    tasks: [{ ...state().tasks[0], title: `title ${evil}` }],
  });
  live.event({
    seq: 1,
    at,
    type: "orchestration.created",
    id: s.id,
    request: `req ${evil}`,
    driver: "shell",
    maxParallel: 2,
    plan: {
      agents: [{ id: "developer-001", role: "developer" }],
      tasks: [{ id: "build", agent: "developer-001", title: "t" }],
    },
  } as MaosEvent, s);
  live.event(
    { seq: 2, at, type: "task.status", task: "build", status: "running" },
    s,
  );
  live.output("developer-001", `out ${evil}\r`);
  live.event({
    seq: 3,
    at,
    type: "message",
    from: "developer-001",
    to: null,
    kind: "info",
    content: `msg ${evil}`,
  }, s);
  live.event({
    seq: 4,
    at,
    type: "task.status",
    task: "build",
    status: "failed",
    summary: `summary ${evil}`,
  }, s);
  live.line(`[developer-001]: Continuing title ${evil}`);
  live.warn(`warned ${evil}`);
  live.event(
    { seq: 5, at, type: "orchestration.failed", reason: `reason ${evil}` },
    state({ status: "failed" }),
  );
  live.finish("failed");
  // deno-lint-ignore no-control-regex
  const control = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
  assert.ok(!control.test(out()), JSON.stringify(out()));
  assert.ok(!control.test(err()), JSON.stringify(err()));
  assert.match(out(), /\[developer-001\] out {2}red\\x07$/m);
  assert.match(out(), /Continuing title {2}red\\x07$/m);
  assert.match(out(), /started: title {2}red\\x07$/m);
  assert.match(out(), /\[developer-001 → all\] msg {2}red\\x07$/m);
  assert.match(out(), /failed: title {2}red\\x07 — summary {2}red\\x07$/m);
  assert.match(out(), /Orchestration failed: reason {2}red\\x07/);
  assert.match(out(), /req {2}red\\x07\n {3}1 agent, 1 task, driver shell$/m);
});

Deno.test("a very long message is cut on the console, with how to read all of it", () => {
  const { live, out } = view();
  live.event({
    seq: 3,
    at,
    type: "message",
    from: "developer-001",
    to: null,
    kind: "info",
    content: "x".repeat(6000),
  }, state());
  const text = out();
  assert.ok(text.length < 500, `printed ${text.length} characters`);
  assert.match(
    text,
    /^ℹ️ \[developer-001 → all\] x{300}… \(5700 more characters; see: maos message list a1b2c3d4 --json\)\n$/,
  );
});

Deno.test("the live view on a terminal keeps a progress line at the bottom and clears it at the end", () => {
  const out: string[] = [];
  const live = new LiveView({
    sink: { write: (t: string) => out.push(t), isTTY: true },
    warnSink: { write: () => {} },
    color: false,
    progress: true,
    quiet: false,
  });
  live.event(
    { seq: 5, at, type: "task.progress", task: "build", progress: 40 },
    state({
      tasks: [{ ...state().tasks[0], progress: 40 }],
    }),
  );
  assert.match(
    out.join(""),
    /\[░+\] 0\/1 \(0%\) · 1 running \(40%\) · \$0\.5000$/,
  );
  live.finish("paused");
  assert.ok(out.join("").endsWith("\r\x1b[2K"));
});

Deno.test("a task whose calls were refused never ends as a plain ✅; a waiting task says what it waits for", () => {
  const { live, out } = view();
  const base = state();
  const refused = state({
    tasks: [{
      ...base.tasks[0],
      status: "completed",
      refused: 1,
      refusals: [{ tool: "Bash", input: "node test.js" }],
    }],
  });
  live.event({
    seq: 4,
    at,
    type: "task.status",
    task: "build",
    status: "completed",
    summary: "done",
  }, refused);
  assert.match(
    out(),
    /✅ \[developer-001\] completed: Build it · 1 tool call refused: Bash node test\.js \(1\/1\) — done/,
  );
  const waiting = state({
    tasks: [{ ...base.tasks[0], status: "paused" }],
    approvals: [{
      n: 3,
      requestId: "r",
      agent: "developer-001",
      task: "build",
      tool: "Bash",
      input: { command: "make" },
      callKey: "k",
      status: "pending",
      requestedAt: at,
      decidedAt: null,
      expired: true,
    }],
  });
  live.event({
    seq: 5,
    at,
    type: "task.status",
    task: "build",
    status: "paused",
    summary: "waiting for approval #3",
  }, waiting);
  assert.match(
    out(),
    /✋ \[developer-001\] waiting for approval #3: Build it/,
  );
});
