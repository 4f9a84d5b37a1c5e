/**
 * The team channel with the real Codex CLI (0.169.0) against the model
 * stand-in: the prompt names the maos MCP tools, and `maos` on the agent's
 * PATH is this maos, and its default model's code mode calls the maos MCP
 * tools (registered `required`, with its tools approved: without either,
 * the call fails).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assertEquals,
  assertIncludes,
  maosOk,
  orchestrationIds,
  readEvents,
} from "./_engine_helpers.ts";
import {
  codexCode,
  codexExec,
  responsesInput,
  say,
} from "../../standin/mod.ts";
import { ModelStandin } from "../../standin/server.ts";
import { cliSandbox } from "../agents/_real_cli.ts";
import { statusOf } from "../agents/_maos_claude.ts";

Deno.test("real codex: the prompt names the maos MCP tools and `maos` on the agent's PATH is this maos", async () => {
  await using model = await ModelStandin.start([
    codexExec("maos message send --type discovery 'codex via PATH'"),
    say("Done."),
  ]);
  await using box = await cliSandbox(model);
  const dir = box.project;
  const plan = path.join(dir, "plan.json");
  fs.writeFileSync(
    plan,
    JSON.stringify({
      agents: [{ id: "coder-001", role: "coder", driver: "codex" }],
      tasks: [{ id: "code", agent: "coder-001", title: "Code it" }],
    }),
  );
  await maosOk(["orchestrate", "Build it", "--plan", plan], {
    cwd: dir,
    env: box.env,
  });
  const [id] = orchestrationIds(dir);
  assertEquals((await statusOf(dir, id, box.env)).status, "completed");
  const [first] = model.turns();
  const prompt = responsesInput(first.body).map((i) => i.text).join("\n");
  assertIncludes(prompt, "send_message");
  // `maos` on the agent's PATH is this maos.
  const messages = (await maosOk(["--json", "message", "list", id], {
    cwd: dir,
    env: box.env,
  })).json<{ from: string; content: string }[]>();
  assertEquals(
    messages.map((m) => [m.from, m.content]),
    [["coder-001", "codex via PATH"]],
  );
});

Deno.test("real codex: code mode calls maos's MCP tools (send_message, report_progress); both reach the log", async () => {
  await using model = await ModelStandin.start([
    codexCode(
      `await tools.mcp__maos__send_message({ content: "codex via mcp", kind: "discovery" });\n` +
        `await tools.mcp__maos__report_progress({ percent: 60 });`,
    ),
    say("Done."),
  ]);
  await using box = await cliSandbox(model);
  const dir = box.project;
  const plan = path.join(dir, "plan.json");
  fs.writeFileSync(
    plan,
    JSON.stringify({
      agents: [{ id: "coder-001", role: "coder", driver: "codex" }],
      tasks: [{ id: "code", agent: "coder-001", title: "Code it" }],
    }),
  );
  await maosOk(["orchestrate", "Build it", "--plan", plan], {
    cwd: dir,
    env: box.env,
  });
  const [id] = orchestrationIds(dir);
  const events = readEvents(dir, id);
  assertEquals(
    events.flatMap((e) =>
      e.type === "message" ? [[e.from, e.kind, e.content]] : []
    ),
    [["coder-001", "discovery", "codex via mcp"]],
  );
  assertEquals(
    events.some((e) =>
      e.type === "task.progress" && e.task === "code" && e.progress === 60
    ),
    true,
  );
});
