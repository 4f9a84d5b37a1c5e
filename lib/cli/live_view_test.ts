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
      "✅ Orchestration completed (1/1 tasks · 1 message · $0.50 · 1m 05s)",
      "",
    ].join("\n"),
  );
  assert.equal(live.orchestrationId, "a1b2c3d4e5f6");
});

Deno.test("the live view: --no-progress keeps only lines, --quiet keeps only warnings", () => {
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
  assert.equal(quiet.out(), "");
  assert.equal(quiet.err(), "\nPausing…\n");
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
    /\[░+\] 0\/1 \(0%\) · 1 running \(40%\) · \$0\.50$/,
  );
  live.finish("paused");
  assert.ok(out.join("").endsWith("\r\x1b[2K"));
});
