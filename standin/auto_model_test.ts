/** The stand-in's built-in model reads maos's prompts from both APIs' requests. */
import { answer, planFor, readAsk } from "./auto_model.ts";
import type { RecordedRequest } from "./server.ts";
import { validatePlan } from "../lib/engine/planner.ts";
import { assert, assertEquals } from "../store/_test_util.ts";

const PROMPT = "The team's request: Add a health check\n\n" +
  "Your task (analyse): Analyse the request\nFind the code.";

function recorded(
  api: "anthropic" | "openai" | "gemini",
  body: unknown,
): RecordedRequest {
  return {
    method: "POST",
    path: api === "anthropic"
      ? "/v1/messages?beta=true"
      : api === "gemini"
      ? "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse"
      : "/v1/responses",
    headers: {},
    body,
    api,
    turn: true,
    at: 0,
  };
}

Deno.test("auto model: its plan is a valid maos plan", () => {
  const plan = validatePlan(planFor("Add a health check"), "(stand-in)");
  assertEquals(plan.tasks.map((t) => t.id), ["analyse", "implement"]);
});

Deno.test("auto model: Claude's first turn messages the team through the maos MCP tool; after its result, a summary", () => {
  const first = recorded("anthropic", {
    system: [{
      type: "text",
      text: "You are analyst-001, the analyst in a team",
    }],
    tools: [{ name: "Bash" }, { name: "mcp__maos__send_message" }],
    messages: [{ role: "user", content: [{ type: "text", text: PROMPT }] }],
  });
  const asked = readAsk(first);
  assertEquals(
    [asked.cli, asked.agent, asked.task, asked.afterTool, asked.mcp],
    ["claude", "analyst-001", "analyse", false, true],
  );
  const turn = answer(asked);
  assert(turn.text?.includes("::maos::discovery:: analyst-001"));
  assertEquals(turn.tools?.[0].name, "mcp__maos__send_message");
  const second = recorded("anthropic", {
    ...(first.body as object),
    messages: [
      { role: "user", content: [{ type: "text", text: PROMPT }] },
      { role: "assistant", content: [{ type: "tool_use", name: "x" }] },
      { role: "user", content: [{ type: "tool_result", content: "sent" }] },
    ],
  });
  assertEquals(answer(readAsk(second)).tools, undefined);
});

Deno.test("auto model: Codex's turn after a command's output sums up, even with items after the output", () => {
  const asked = readAsk(recorded("openai", {
    stream: true,
    input: [
      {
        type: "message",
        role: "user",
        content: [{ text: `You are dev-001, the dev.\n\n${PROMPT}` }],
      },
      { type: "function_call", name: "exec_command", arguments: "{}" },
      { type: "function_call_output", output: "ok" },
      // Codex 0.169 adds such a note once the MCP server is up.
      {
        type: "message",
        role: "developer",
        content: [{ text: "Deferred tool namespaces: mcp__maos" }],
      },
    ],
  }));
  assertEquals([asked.cli, asked.agent, asked.afterTool], [
    "codex",
    "dev-001",
    true,
  ]);
  assertEquals(answer(asked).tools, undefined);
});

Deno.test("auto model: a planning prompt gets the JSON plan", () => {
  const asked = readAsk(recorded("anthropic", {
    tools: [{ name: "Bash" }],
    messages: [{
      role: "user",
      content: [{
        type: "text",
        text: "The team's request: X\n\nYour task (plan): Plan the request\n" +
          "Reply with ONLY a JSON object, no prose",
      }],
    }],
  }));
  assert(asked.planning);
  assertEquals(JSON.parse(answer(asked).text!), planFor("X"));
});

Deno.test("auto model: the Gemini CLI's first turn messages the team through mcp_maos_send_message; after the function's response, a summary", () => {
  const prompt =
    "You are dev-001, the developer in a team of agents coordinated by maos.\n\n" +
    PROMPT;
  const body = {
    contents: [{
      role: "user",
      parts: [{ text: "<session_context>…</session_context>" }, {
        text: prompt,
      }],
    }],
    tools: [{
      functionDeclarations: [{ name: "run_shell_command" }, {
        name: "mcp_maos_send_message",
      }],
    }],
  };
  const asked = readAsk(recorded("gemini", body));
  assertEquals(
    [asked.cli, asked.agent, asked.task, asked.afterTool, asked.mcp],
    ["gemini", "dev-001", "analyse", false, true],
  );
  assertEquals(answer(asked).tools?.[0].name, "mcp_maos_send_message");
  const after = readAsk(recorded("gemini", {
    ...body,
    contents: [
      ...body.contents,
      { role: "model", parts: [{ functionCall: { name: "x", args: {} } }] },
      {
        role: "user",
        parts: [{
          functionResponse: { name: "x", response: { output: "ok" } },
        }],
      },
    ],
  }));
  assert(after.afterTool);
  assertEquals(answer(after).tools, undefined);
});

Deno.test("auto model: a task whose description names a `command` runs it (Bash, exec_command, run_shell_command), then sums up", () => {
  const prompt = "The team's request: Check it\n\n" +
    "Your task (test): Run the tests\nRun `node test.js` and report.";
  const first = recorded("anthropic", {
    system: [{ type: "text", text: "You are tester-001, the tester" }],
    tools: [{ name: "Bash" }, { name: "mcp__maos__send_message" }],
    messages: [{ role: "user", content: [{ type: "text", text: prompt }] }],
  });
  const asked = readAsk(first);
  assertEquals(asked.command, "node test.js");
  assertEquals(answer(asked).tools, [{
    name: "Bash",
    input: { command: "node test.js", description: "run a command" },
  }]);
  assertEquals(answer({ ...asked, cli: "codex" }).tools, [{
    name: "exec_command",
    input: { cmd: "node test.js" },
  }]);
  assertEquals(
    answer({ ...asked, cli: "gemini" }).tools?.[0].name,
    "run_shell_command",
  );
  assertEquals(answer({ ...asked, afterTool: true }).tools, undefined);
  // Backticks in the request or a later paragraph are not the task's command.
  const other = readAsk(recorded("anthropic", {
    messages: [{
      role: "user",
      content: [{
        type: "text",
        text:
          "The team's request: Fix `x`\n\nYour task (a): A\nNo command.\n\nMore: `rm -rf /`",
      }],
    }],
  }));
  assertEquals(other.command, undefined);
  // The stand-in's own plan copies the request into the description.
  const copied = readAsk(recorded("anthropic", {
    messages: [{
      role: "user",
      content: [{
        type: "text",
        text:
          "The team's request: Fix `x`\n\nYour task (a): A\nImplement: Fix `x`",
      }],
    }],
  }));
  assertEquals(copied.command, undefined);
});
