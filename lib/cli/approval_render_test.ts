import { assertEquals } from "../drivers/_test_assert.ts";
import type { MaosEvent, OrchestrationState } from "../../store/schema.ts";
import { createColors } from "../ui/mod.ts";
import { refusalOfDecision } from "../approvals/approvals_fold.ts";
import {
  approvalEventLine,
  refusalNote,
  waitingNote,
} from "./approval_render.ts";

const c = createColors(false);
const request = {
  n: 1,
  requestId: "r",
  agent: "tester-001",
  task: "test",
  tool: "Bash",
  input: { command: "node test.js" },
  callKey: "k",
  status: "pending" as const,
  requestedAt: "2026-01-01T00:00:00.000Z",
  decidedAt: null,
};
const state = {
  id: "0123456789ab",
  approvals: [request],
} as unknown as OrchestrationState;
const at = { seq: 9, at: "2026-01-01T00:00:01.000Z" };

Deno.test("the live view names who asks for what and the command that answers", () => {
  const asked: MaosEvent = {
    ...at,
    type: "approval.requested",
    ...request,
  };
  assertEquals(
    approvalEventLine(asked, state, c),
    "✋ [tester-001] asks to run Bash: node test.js — maos approval grant 01234567 1",
  );
  assertEquals(
    approvalEventLine(
      {
        ...at,
        type: "approval.decided",
        n: 1,
        decision: "denied",
        by: "ann@box",
        reason: "not now",
      },
      state,
      c,
    ),
    "🚫 #1 denied by ann@box: [tester-001] Bash: node test.js — not now",
  );
  assertEquals(
    approvalEventLine(
      {
        ...at,
        type: "permission.denied",
        agent: "tester-001",
        task: "test",
        tool: "Bash",
        input: { command: "node test.js" },
      },
      state,
      c,
    ),
    "🚫 [tester-001] refused: Bash node test.js",
  );
  assertEquals(waitingNote(state, "test"), "✋ waiting for approval #1");
  assertEquals(waitingNote(state, "other"), undefined);
});

Deno.test("a task's refusals read as a count and the first calls", () => {
  assertEquals(refusalNote({}), "");
  assertEquals(
    refusalNote({
      refused: 1,
      refusals: [{ tool: "Bash", input: "node test.js" }],
    }),
    " · 1 tool call refused: Bash node test.js",
  );
  assertEquals(
    refusalNote({
      refused: 5,
      refusals: Array.from({ length: 5 }, (_, i) => ({
        tool: "Bash",
        input: `c${i}`,
      })),
    }),
    " · 5 tool calls refused: Bash c0, Bash c1, Bash c2, +2 more",
  );
});

Deno.test("a request denied after its agent stopped waiting counts as a refusal; a live one does not (the CLI reports it)", () => {
  const decided: MaosEvent = {
    ...at,
    type: "approval.decided",
    n: 1,
    decision: "denied",
  };
  assertEquals(refusalOfDecision([request], decided), []);
  assertEquals(refusalOfDecision([{ ...request, expired: true }], decided), [{
    type: "permission.denied",
    agent: "tester-001",
    task: "test",
    tool: "Bash",
    input: { command: "node test.js" },
  }]);
  assertEquals(
    refusalOfDecision([{ ...request, expired: true }], {
      ...decided,
      decision: "granted",
    }),
    [],
  );
});
