import assert from "node:assert/strict";
import type { MessageView, OrchestrationStatus } from "../queries/queries.ts";
import {
  messageHistoryLine,
  renderAgentTable,
  renderOrchestrationList,
  renderStatus,
} from "./render.ts";

// What a terminal would act on: C0 but tab and newline, DEL, C1.
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
const EVIL = "\x1b]0;pwned\x07 \x1b[31mred\x1b[0m\x07";
const ID = "a1b2c3d4e5f6";

function message(content: string): MessageView {
  return {
    seq: 7,
    at: "2026-01-01T00:00:10.000Z",
    from: "developer-001",
    to: null,
    type: "info",
    content,
  };
}

function status(): OrchestrationStatus {
  return {
    id: ID,
    request: `Add validation ${EVIL}`,
    status: "running",
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:01:00.000Z",
    durationMs: 60_000,
    cost: 0.5,
    inputTokens: 0,
    outputTokens: 0,
    messages: 1,
    progress: { completed: 0, total: 1 },
    agents: [{
      id: "developer-001",
      role: "developer",
      driver: "claude",
      status: "running",
      sessionId: `s\x1b[2J${EVIL}`,
      messages: 1,
      cost: 0.5,
      inputTokens: 0,
      outputTokens: 0,
    }],
    tasks: [{
      id: "build",
      agent: "developer-001",
      title: `Build ${EVIL}`,
      status: "running",
      progress: 10,
      dependsOn: [],
    }],
    recentMessages: [message(`hello ${EVIL}`)],
  };
}

Deno.test("message list lines show agent text without its escape codes", () => {
  const line = messageHistoryLine(message(`hello ${EVIL}\r\nsecond`), ID);
  assert.ok(!CONTROL.test(line), JSON.stringify(line));
  assert.match(line, /\[developer-001 → all\] hello {2}red\\x07\n {3}second$/);
});

Deno.test("a long message is cut after 300 characters, saying how much is left and where to read it", () => {
  const line = messageHistoryLine(message("é".repeat(6000)), ID);
  assert.match(
    line,
    /\] é{300}… \(5700 more characters; see: maos message list a1b2c3d4 --json\)$/,
  );
  const short = messageHistoryLine(message("é".repeat(300)), ID);
  assert.match(short, /\] é{300}$/);
});

Deno.test("the list, status and agent table show requests, titles, sessions and messages safely", () => {
  const s = status();
  const now = new Date("2026-01-01T00:02:00.000Z");
  const screens = [
    renderOrchestrationList([{
      id: ID,
      request: s.request,
      status: "running",
      agents: 1,
      messages: 1,
      cost: 0.5,
      inputTokens: 0,
      outputTokens: 0,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
    }], now),
    renderStatus(s, { agents: true, tasks: true, messages: true }, now),
    renderAgentTable(s.agents),
  ];
  for (const screen of screens) {
    assert.ok(!CONTROL.test(screen), JSON.stringify(screen));
  }
  assert.match(screens[1], /Request: +Add validation {2}red\\x07$/m);
  assert.match(screens[1], /Build {2}red\\x07 10%$/m);
  assert.match(screens[1], /hello {2}red\\x07$/m);
});

Deno.test("the status summary counts in the singular for one", () => {
  const screen = renderStatus(
    status(),
    { agents: false, tasks: false, messages: false },
    new Date("2026-01-01T00:02:00.000Z"),
  );
  assert.match(
    screen,
    /Summary: 0\/1 tasks · 1 agent · 1 message · \$0\.5000$/m,
  );
});

Deno.test("costs have four decimals; tokens show beside them, and alone when there are no dollars", () => {
  const s = status();
  s.cost = 0.0024;
  s.inputTokens = 12_345;
  s.outputTokens = 950;
  s.agents = [
    { ...s.agents[0], cost: 0.0024, inputTokens: 345, outputTokens: 50 },
    {
      ...s.agents[0],
      id: "coder-001",
      driver: "codex",
      cost: 0,
      inputTokens: 12_000,
      outputTokens: 900,
    },
  ];
  const screen = renderStatus(
    s,
    { agents: true, tasks: false, messages: false },
    new Date("2026-01-01T00:02:00.000Z"),
  );
  assert.match(screen, /· \$0\.0024 · 12\.3k in \/ 950 out tokens$/m);
  assert.match(screen, /developer-001 .*\$0\.0024 .*345 in \/ 50 out/);
  assert.match(screen, /coder-001 .*— .*12\.0k in \/ 900 out/);
  assert.doesNotMatch(screen, /<\$0\.01/);
});

Deno.test("the Files lines line up the agents' changes after branches of different lengths", () => {
  const s = status();
  s.isolation = { mode: "worktree", base: "0".repeat(40) };
  s.agents = [
    {
      ...s.agents[0],
      id: "dev",
      branch: "maos/a1b2c3d4/dev",
      changedFiles: ["a.ts"],
    },
    {
      ...s.agents[0],
      id: "tester-001",
      branch: "maos/a1b2c3d4/tester-001",
      changedFiles: ["b.ts"],
    },
  ];
  const screen = renderStatus(
    s,
    { agents: true, tasks: false, messages: false },
    new Date("2026-01-01T00:02:00.000Z"),
  );
  const columns = screen.split("\n").filter((l) => l.includes("changed "))
    .map((l) => l.indexOf("changed "));
  assert.equal(columns.length, 2, screen);
  assert.equal(columns[0], columns[1], screen);
});
