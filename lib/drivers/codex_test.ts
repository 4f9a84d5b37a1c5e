/**
 * The codex driver on its own: its argv, its prices, and — with the real
 * Codex CLI against the model stand-in — a prompt on stdin and the usage of a
 * resumed thread counted once.
 */
import { assert, assertEquals, assertStringIncludes } from "./_test_assert.ts";
import { MAX_ARGV_PROMPT_BYTES } from "./claude.ts";
import { codexArgs, CodexDriver, priced } from "./codex.ts";
import { makeRun } from "./_test_helpers.ts";
import { responsesInput, say } from "../../standin/mod.ts";
import { ModelStandin } from "../../standin/server.ts";
import { cliSandbox, CODEX_BIN } from "../../tests/agents/_real_cli.ts";

Deno.test("the argv: exec --json, no git check, the sandbox, options, then resume THREAD when there is one, the prompt last", () => {
  const { run } = makeRun();
  const fresh = codexArgs(run, {}, "Do it");
  assertEquals(fresh.slice(0, 5), [
    "exec",
    "--json",
    "--skip-git-repo-check",
    "-s",
    "workspace-write",
  ]);
  assertEquals(fresh.at(-1), "Do it");
  assert(!fresh.includes("resume"));
  const resumed = codexArgs(makeRun({ sessionId: "th-1" }).run, {
    sandbox: "read-only",
    model: "m",
    extraArgs: ["-c", "x=1"],
  }, "-");
  assertEquals(resumed.slice(3, 7), ["-s", "read-only", "-m", "m"]);
  // Exec options go before `resume` (it takes them there, measured).
  assertEquals(resumed.slice(-5), ["-c", "x=1", "resume", "th-1", "-"]);
});

Deno.test("an agent's permissions.sandbox wins over the driver's sandbox", () => {
  const { run } = makeRun({
    permissions: { allow: [], deny: [], sandbox: "read-only" },
  });
  const args = codexArgs(run, { sandbox: "danger-full-access" }, "x");
  assertEquals(args.slice(3, 5), ["-s", "read-only"]);
});

Deno.test("prices are per million tokens, cached input at its own price when given", () => {
  const pricing = { inputPerMTok: 2, outputPerMTok: 10 };
  assertEquals(priced(pricing, 1_000_000, 0, 100_000), 3);
  assertEquals(
    priced({ ...pricing, cachedInputPerMTok: 0.5 }, 1_000_000, 500_000, 0),
    1.25,
  );
});

Deno.test("real codex: a prompt too big for argv goes on stdin; a resumed thread's usage counts only its own run", async () => {
  await using model = await ModelStandin.start([
    say("first", { input: 100, output: 10 }),
    say("second", { input: 250, output: 20 }),
  ]);
  await using box = await cliSandbox(model);
  const driver = new CodexDriver({ bin: CODEX_BIN, graceMs: 2_000 });
  const big = `${"x".repeat(MAX_ARGV_PROMPT_BYTES)} END-OF-REQUEST`;
  const first = makeRun({ request: big, cwd: box.project, env: box.env });
  assertEquals((await driver.run(first.run)).status, "completed");
  const session = first.events.find((e) => e.type === "session");
  assert(session?.type === "session");
  const usage = first.events.find((e) => e.type === "usage");
  assert(usage?.type === "usage");
  assertEquals(usage, {
    type: "usage",
    inputTokens: 100,
    outputTokens: 10,
    sessionTotals: { inputTokens: 100, cachedInputTokens: 0, outputTokens: 10 },
  });
  const sent = responsesInput(model.turns()[0].body).at(-1)?.text ?? "";
  assertStringIncludes(sent, "END-OF-REQUEST");
  assert(sent.length > MAX_ARGV_PROMPT_BYTES);

  const second = makeRun({
    request: big,
    cwd: box.project,
    env: box.env,
    sessionId: session.sessionId,
    sessionTotals: usage.sessionTotals,
  });
  const result = await driver.run(second.run);
  assertEquals(result, { status: "completed", summary: "second" });
  assertEquals(second.events.find((e) => e.type === "usage"), {
    type: "usage",
    inputTokens: 250,
    outputTokens: 20,
    sessionTotals: { inputTokens: 350, cachedInputTokens: 0, outputTokens: 30 },
  });
  assertStringIncludes(
    responsesInput(model.turns()[1].body).map((i) => i.text).join("\n"),
    "first",
  );
});
