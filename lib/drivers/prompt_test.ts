import { assert, assertEquals, assertStringIncludes } from "./_test_assert.ts";
import {
  buildPrompt,
  formatInbox,
  RESUME_NOTE_MAX_CHARS,
  roleInstructions,
} from "./prompt.ts";
import type { InboxMessage } from "./driver.ts";
import { makeRun } from "./_test_helpers.ts";

Deno.test("the role names the agent, its role and its instructions", () => {
  const { run } = makeRun();
  assertEquals(
    roleInstructions(run.agent),
    "You are developer-001, the developer in a team of agents coordinated by maos.\nWrite the code.",
  );
});

Deno.test("inbox messages are one line each, a broadcast addressed to all", () => {
  assertEquals(
    formatInbox([
      {
        seq: 3,
        from: "analyst-001",
        to: null,
        type: "discovery",
        content: "no auth",
      },
      {
        seq: 4,
        from: "tester-001",
        to: "developer-001",
        type: "request",
        content: "fix it",
      },
    ]),
    "#3 discovery from analyst-001 to all: no auth\n#4 request from tester-001 to developer-001: fix it",
  );
});

Deno.test("the prompt carries request, task, extra task, resume note, inbox and how to talk", () => {
  const { run } = makeRun({
    extraTask: "Also add docs",
    resumeNote: "wrote half of main.ts",
    inbox: [{
      seq: 1,
      from: "analyst-001",
      to: null,
      type: "discovery",
      content: "uses Deno",
    }],
  });
  const p = buildPrompt(run);
  assertStringIncludes(p, "The team's request: Make a thing");
  assertStringIncludes(p, "Your task (t1): Build it\nBuild the thing.");
  assertStringIncludes(p, "Additional task from the user: Also add docs");
  assertStringIncludes(
    p,
    "You were interrupted; so far you produced:\nwrote half of main.ts",
  );
  assertStringIncludes(p, "#1 discovery from analyst-001 to all: uses Deno");
  assertStringIncludes(p, "::maos::discovery:: TEXT");
  assertStringIncludes(p, "maos message send");
  assert(!p.includes("You are developer-001"), "role only when asked");
  assert(
    buildPrompt(run, { includeRole: true }).startsWith("You are developer-001"),
  );
});

Deno.test("a fresh task has no resume or inbox section", () => {
  const p = buildPrompt(makeRun().run);
  assert(!p.includes("interrupted"));
  assert(!p.includes("Messages from your team"));
});

Deno.test("a long resume note keeps only its tail", () => {
  const note = "a".repeat(RESUME_NOTE_MAX_CHARS) + "THE-END";
  const p = buildPrompt(makeRun({ resumeNote: "START" + note }).run);
  assertStringIncludes(p, "[… earlier output cut …]");
  assertStringIncludes(p, "THE-END");
  assert(!p.includes("START"));
});

Deno.test("a long inbox keeps the newest messages and says how many were left out", () => {
  const inbox: InboxMessage[] = Array.from({ length: 10 }, (_, i) => ({
    seq: i + 1,
    from: "analyst-001",
    to: null,
    type: "info",
    content: "x".repeat(40),
  }));
  const text = formatInbox(inbox, 200);
  const lines = text.split("\n");
  assertEquals(
    lines[0],
    "(8 earlier message(s) left out; see: maos message list)",
  );
  assert(lines[1].startsWith("#9 "));
  assert(lines.at(-1)!.startsWith("#10 "));
});

Deno.test("AI drivers are told the MCP tools, with the ::maos:: lines as a fallback; shells the command", () => {
  const { run } = makeRun();
  const mcp = buildPrompt(run, { channel: "mcp" });
  for (const tool of ["send_message", "read_messages", "report_progress"]) {
    assertStringIncludes(mcp, tool);
  }
  assertStringIncludes(mcp, "::maos::discovery:: TEXT");
  assert(!mcp.includes("maos message send"), "a command Claude would refuse");
  const shell = buildPrompt(run);
  assertStringIncludes(shell, "maos message send");
  assert(!shell.includes("send_message"));
});
