/**
 * The team channel with the real Claude Code against the model stand-in:
 * maos registers `maos mcp`, Claude connects it, and the model's calls of
 * its tools (and of `maos message send` through Bash) run without a prompt.
 */
import {
  assert,
  assertEquals,
  assertIncludes,
  maosOk,
  orchestrationIds,
  readEvents,
  writePlan,
} from "./_engine_helpers.ts";
import { bash, conversation, say, tool, toolNames } from "../../standin/mod.ts";
import { statusOf, withClaudeProject } from "../agents/_maos_claude.ts";

Deno.test("real claude: the maos MCP tools and `maos message send` run without approval and reach the log", async () => {
  await withClaudeProject([], async ({ model, box, dir }) => {
    model.script(
      tool("mcp__maos__send_message", {
        content: "the admin API has no auth",
        kind: "discovery",
      }),
      tool("mcp__maos__report_progress", { percent: 50, note: "half way" }),
      tool("mcp__maos__read_messages", {}),
      bash('maos message send --type info "sent with Bash"'),
      say("Checked the API; told the team."),
    );
    const plan = writePlan(dir, {
      agents: [{ id: "analyst-001", role: "analyst", driver: "claude" }],
      tasks: [{ id: "analyse", agent: "analyst-001", title: "Find risks" }],
    });
    const run = await maosOk(
      ["orchestrate", "Secure the API", "--plan", plan],
      { cwd: dir, env: box.env },
    );
    const [id] = orchestrationIds(dir);
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed", run.stdout + run.stderr);
    assertEquals(model.unscripted, 0);

    const turns = model.turns();
    assertEquals(turns.length, 5);
    // Claude was offered the maos tools (the server connected) …
    const offered = toolNames(turns[0].body);
    for (const name of ["send_message", "read_messages", "report_progress"]) {
      assert(offered.includes(`mcp__maos__${name}`), offered.join());
    }
    // … and the prompt names them instead of a command it would refuse.
    assertIncludes(conversation(turns[0].body)[0].text, "send_message");
    // Each tool result as the model saw it: none refused.
    const results = turns.slice(1).map((t) =>
      conversation(t.body).at(-1)?.text ?? ""
    );
    for (const result of results) {
      assert(!/requires approval|permission/i.test(result), result);
    }
    assertIncludes(results[0], "Sent (discovery) to all.");
    assertIncludes(results[1], "Progress of analyse: 50%.");
    assertIncludes(results[2], "No new messages.");

    const events = readEvents(dir, id);
    const messages = events.flatMap((e) =>
      e.type === "message" ? [[e.from, e.kind, e.content]] : []
    );
    assertEquals(messages, [
      ["analyst-001", "discovery", "the admin API has no auth"],
      ["analyst-001", "info", "sent with Bash"],
    ]);
    assert(
      events.some((e) =>
        e.type === "task.progress" && e.task === "analyse" &&
        e.progress === 50 && e.note === "half way"
      ),
      "task.progress 50 from report_progress",
    );
  });
});
