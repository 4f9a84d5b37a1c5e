/**
 * The gemini driver with the real Gemini CLI against the stand-in, without
 * the engine: which tools the CLI offers under maos's settings (the maos MCP
 * tools always; a denied tool never), and that an allowed command runs while
 * another is refused. Measured on 0.61.0 under `--approval-mode auto_edit`:
 * the shell tool is offered, and a call no rule allows comes back as
 * "Tool execution denied by policy." (the turn goes on).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  geminiContents,
  geminiShell,
  geminiTools,
  say,
} from "../../standin/mod.ts";
import { ModelStandin } from "../../standin/server.ts";
import { GeminiDriver } from "../../lib/drivers/gemini.ts";
import { makeRun, outputs } from "../../lib/drivers/_test_helpers.ts";
import type { PermissionRules } from "../../lib/drivers/gemini_permissions.ts";
import { cliSandbox, GEMINI_BIN, geminiEnv } from "./_real_cli.ts";
import { assert, assertEquals } from "../../store/_test_util.ts";

async function runDriver(
  model: ModelStandin,
  permissions: PermissionRules | undefined,
) {
  await using box = await cliSandbox(model);
  const maosDir = path.join(box.project, ".maos");
  const { run, events } = makeRun({
    cwd: box.project,
    env: {
      ...box.env,
      ...geminiEnv(model),
      TMPDIR: box.root,
      MAOS_DIR: maosDir,
      MAOS_ORCHESTRATION_ID: "0123456789ab",
      MAOS_AGENT_ID: "developer-001",
      MAOS_TASK_ID: "t1",
    },
  });
  const driver = new GeminiDriver({ bin: GEMINI_BIN, permissions });
  const result = await driver.run(run);
  const files = fs.readdirSync(box.project);
  return { result, events, files, home: box.home };
}

Deno.test("real gemini driver: the maos MCP tools are offered; a denied tool is not", async () => {
  await using model = await ModelStandin.start([say("hi"), say("hi")]);
  const plain = await runDriver(model, undefined);
  assertEquals(plain.result.status, "completed", plain.result.summary);
  const offered = geminiTools(model.turns()[0].body);
  for (const name of ["send_message", "read_messages", "report_progress"]) {
    assert(offered.includes(`mcp_maos_${name}`), offered.join());
  }
  const withRules = await runDriver(model, {
    allow: ["Bash(echo:*)"],
    deny: ["WebFetch"],
  });
  assertEquals(withRules.result.status, "completed");
  const ruled = geminiTools(model.turns()[1].body);
  assert(offered.includes("web_fetch"), offered.join());
  assert(!ruled.includes("web_fetch"), ruled.join());
});

Deno.test("real gemini driver: a command no rule allows is refused; an allowed one runs", async () => {
  await using model = await ModelStandin.start([
    geminiShell("echo no > refused.txt"),
    say("tried"),
    geminiShell("echo yes > allowed.txt"),
    say("done"),
  ]);
  const refused = await runDriver(model, undefined);
  assertEquals(refused.result.status, "completed");
  assert(!refused.files.includes("refused.txt"), refused.files.join());
  assert(
    outputs(refused.events).includes(
      "[tool] run_shell_command refused: Tool execution denied by policy.",
    ),
    outputs(refused.events).join("\n"),
  );
  const allowed = await runDriver(model, { allow: ["Bash(echo:*)"] });
  assertEquals(allowed.result.status, "completed");
  assert(allowed.files.includes("allowed.txt"), allowed.files.join());
  assertEquals(outputs(allowed.events), [
    "[tool] run_shell_command echo yes > allowed.txt",
    "done",
  ]);
});

Deno.test("real gemini driver: a prompt too long for one argument goes on stdin, before -p's short line", async () => {
  await using model = await ModelStandin.start([say("read it all")]);
  await using box = await cliSandbox(model);
  const long = "x".repeat(120_000);
  const { run } = makeRun({
    cwd: box.project,
    task: {
      id: "t1",
      agent: "developer-001",
      title: "Read the long brief",
      description: `${long} END-OF-BRIEF`,
      dependsOn: [],
    },
    env: { ...box.env, TMPDIR: box.root },
  });
  const result = await new GeminiDriver({ bin: GEMINI_BIN }).run(run);
  assertEquals(result.status, "completed", result.summary);
  const sent = geminiContents(model.turns()[0].body).map((c) => c.text)
    .join("\n");
  assert(sent.includes("END-OF-BRIEF"), "the whole prompt arrived");
  assert(sent.includes("Follow the instructions above."), sent.slice(-300));
  assert(
    sent.indexOf("END-OF-BRIEF") < sent.indexOf("Follow the instructions"),
  );
});
