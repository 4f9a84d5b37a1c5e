/**
 * The real Claude Code and Codex CLIs, run directly against the model
 * stand-in (no maos): what they print and what they send. These pin the
 * facts the drivers rely on (shared/CLAUDE-PROTOCOL.md); a CLI version that
 * changes them fails here first.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  bash,
  codexExec,
  conversation,
  fail,
  lastUserText,
  ModelStandin,
  responsesInput,
  responsesTools,
  say,
  toolNames,
  write,
} from "../../standin/mod.ts";
import { cliSandbox } from "./_real_cli.ts";
import {
  assert,
  assertEquals,
  assertIncludes,
} from "../../store/_test_util.ts";

const STREAM_JSON = ["--output-format", "stream-json", "--verbose"];

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** Claude Code's price of its default model: $5 / $25 per million tokens in / out. */
function opusCost(input: number, output: number): number {
  return (input * 5 + output * 25) / 1_000_000;
}

function assertClose(actual: number, expected: number): void {
  assert(
    Math.abs(actual - expected) < 1e-9,
    `expected ${expected}, got ${actual}`,
  );
}

Deno.test("real claude: Bash and Write run for real; cost is per invocation; resume sends the history again", async () => {
  await using model = await ModelStandin.start();
  await using box = await cliSandbox(model);
  const written = path.join(box.project, "written.txt");
  model.script(
    bash("echo from-bash > bash.txt && cat bash.txt", {
      input: 100,
      output: 20,
    }),
    write(written, "written\n"),
    say("All done\n::maos::discovery:: found it", { input: 300, output: 40 }),
    say("Second turn", { input: 400, output: 10 }),
  );
  const first = await box.claude([
    "-p",
    "Do the task",
    ...STREAM_JSON,
    "--permission-mode",
    "acceptEdits",
  ]);
  assertEquals(first.code, 0, first.stderr);
  const lines = first.lines as Json[];
  assertEquals([lines[0].type, lines[0].subtype], ["system", "init"]);
  const session = lines[0].session_id as string;
  const result = lines.at(-1)!;
  assertEquals([result.type, result.is_error], ["result", false]);
  assertEquals(result.result, "All done\n::maos::discovery:: found it");
  assertEquals(
    fs.readFileSync(path.join(box.project, "bash.txt"), "utf8"),
    "from-bash\n",
  );
  assertEquals(fs.readFileSync(written, "utf8"), "written\n");
  // Default usage of the Write turn is 10 in, 5 out.
  assertClose(result.total_cost_usd, opusCost(100 + 10 + 300, 20 + 5 + 40));

  // What it sent: HEAD / first, then one request per model turn.
  assertEquals(model.requests[0].method, "HEAD");
  const turns = model.turns();
  assertEquals(turns.length, 3);
  assertEquals(
    lastUserText(turns[0].body).trim().split("\n").at(-1),
    "Do the task",
  );
  assert(toolNames(turns[0].body).includes("Bash"), "Bash is offered");
  assertIncludes(lastUserText(turns[1].body), "from-bash");
  assertEquals(turns[0].headers["x-api-key"], "sk-standin-test");
  assertEquals(turns[0].headers["x-claude-code-session-id"], session);

  const second = await box.claude([
    "-p",
    "Go on",
    "--resume",
    session,
    ...STREAM_JSON,
  ]);
  assertEquals(second.code, 0, second.stderr);
  const end = second.lines.at(-1) as Json;
  assertEquals(end.session_id, session);
  // This invocation's cost only, not the session's running total.
  assertClose(end.total_cost_usd, opusCost(400, 10));
  const resumed = model.turns()[3];
  const history = conversation(resumed.body).map((m) => m.text).join("\n");
  assertIncludes(history, "Do the task");
  assertIncludes(history, "found it");
  assertEquals(lastUserText(resumed.body).trim().split("\n").at(-1), "Go on");
  // In -p mode nothing else is asked: no titles, no count_tokens.
  assertEquals(
    model.requests.filter((r) => !r.turn).map((r) => `${r.method} ${r.path}`),
    ["HEAD /", "HEAD /"],
  );
});

Deno.test("real claude: 401 and 529 from the API end the run with is_error and the status", async () => {
  await using model = await ModelStandin.start([fail(401), fail(529)]);
  await using box = await cliSandbox(model);
  const denied = await box.claude(["-p", "Hi", ...STREAM_JSON]);
  assertEquals(denied.code, 1);
  const assistant = denied.lines.find((l) => l.type === "assistant") as Json;
  assertEquals(assistant.error, "authentication_failed");
  const deniedResult = denied.lines.at(-1) as Json;
  assertEquals([deniedResult.is_error, deniedResult.api_error_status], [
    true,
    401,
  ]);
  assertIncludes(deniedResult.result, "Invalid API key");

  // CLAUDE_CODE_MAX_RETRIES=0 (the sandbox's default): no retry of a 529.
  const overloaded = await box.claude(["-p", "Hi", ...STREAM_JSON]);
  assertEquals(overloaded.code, 1);
  const end = overloaded.lines.at(-1) as Json;
  assertEquals([end.is_error, end.api_error_status], [true, 529]);
  assertIncludes(end.result, "529 Overloaded");
  assertEquals(model.turns().length, 2);
});

Deno.test("real codex: exec --json runs a shell call and a reply against the stand-in; resume continues the thread", async () => {
  await using model = await ModelStandin.start([
    codexExec("echo from-codex > codex.txt", { input: 100, output: 20 }),
    say("Done\n::maos::discovery:: codex found it", { input: 200, output: 30 }),
    say("Resumed", { input: 50, output: 5 }),
  ]);
  await using box = await cliSandbox(model);
  const run = await box.codex([
    "exec",
    "--json",
    "--skip-git-repo-check",
    "-s",
    "workspace-write",
    "Do the task",
  ]);
  assertEquals(run.code, 0, run.stderr);
  const events = run.lines as Json[];
  assertEquals(events[0].type, "thread.started");
  const thread = events[0].thread_id as string;
  const command = events.find((e) =>
    e.type === "item.completed" && e.item.type === "command_execution"
  );
  assertEquals(command?.item.exit_code, 0);
  assertEquals(
    fs.readFileSync(path.join(box.project, "codex.txt"), "utf8"),
    "from-codex\n",
  );
  const message = events.find((e) =>
    e.type === "item.completed" && e.item.type === "agent_message"
  );
  assertEquals(message?.item.text, "Done\n::maos::discovery:: codex found it");
  const done = events.at(-1)!;
  assertEquals(done.type, "turn.completed");
  // The turn's usage is the sum of its two model requests.
  assertEquals(
    [done.usage.input_tokens, done.usage.output_tokens],
    [300, 50],
  );
  const first = model.turns()[0];
  assertEquals(first.path, "/v1/responses");
  assertEquals(first.headers.authorization, "Bearer sk-standin-test");
  // The default model gets code mode: one JavaScript `exec` tool (yet a
  // plain exec_command function call, as scripted above, still runs).
  assert(
    responsesTools(first.body).includes("functions.exec"),
    responsesTools(first.body).join(),
  );
  assertEquals(
    responsesInput(first.body).at(-1),
    { role: "user", text: "Do the task" },
  );

  const again = await box.codex([
    "exec",
    "--json",
    "--skip-git-repo-check",
    "resume",
    thread,
    "Go on",
  ]);
  assertEquals(again.code, 0, again.stderr);
  assertEquals((again.lines[0] as Json).thread_id, thread);
  const history = responsesInput(model.turns()[2].body).map((i) => i.text)
    .join("\n");
  assertIncludes(history, "Do the task");
  assertIncludes(history, "codex found it");
  assertEquals(responsesInput(model.turns()[2].body).at(-1)?.text, "Go on");
});
