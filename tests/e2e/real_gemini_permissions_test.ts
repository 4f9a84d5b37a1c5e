/**
 * A plan agent's `permissions` reach the real Gemini CLI (0.61.0) through the
 * engine, and its refusals are never silent: a tester allowed
 * `Bash(node test.js)` runs it, a call no rule allows is refused by the CLI's
 * policy and logged as `permission.denied`, and the task ends saying so.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assertEquals,
  assertIncludes,
  maosOk,
  readEvents,
} from "./_engine_helpers.ts";
import { geminiShell, say } from "../../standin/mod.ts";
import { statusOf } from "../agents/_maos_claude.ts";
import { withGeminiProject } from "./_gemini.ts";
import { projectWithTest, ran } from "./_approvals.ts";

Deno.test("real gemini: the plan's allow rule runs node test.js; an unallowed call is a permission.denied, and the task says so", async () => {
  await withGeminiProject([], async ({ model, box, dir }) => {
    const plan = projectWithTest(
      dir,
      { allow: ["Bash(node test.js)"] },
      1,
      undefined,
      "gemini",
    );
    model.script(
      geminiShell("node test.js"),
      geminiShell("curl -s http://127.0.0.1:9/"),
      say("Tests pass; could not fetch."),
    );
    const run = await maosOk(["orchestrate", "Test it", "--plan", plan], {
      cwd: dir,
      env: box.env,
    });
    const why = run.stdout + run.stderr;
    assertEquals(ran(dir), 1, why);
    const [id] = fs.readdirSync(path.join(dir, ".maos", "orchestrations"));
    const denied = readEvents(dir, id).filter((e) =>
      e.type === "permission.denied"
    );
    assertEquals(
      denied.map((e) =>
        e.type === "permission.denied" && [e.tool, e.input.command]
      ),
      [["run_shell_command", "curl -s http://127.0.0.1:9/"]],
    );
    assertIncludes(
      run.stdout,
      "1 tool call refused: run_shell_command curl -s http://127.0.0.1:9/",
    );
    const done = await statusOf(dir, id, box.env);
    assertEquals([done.status, done.tasks[0].refused], ["completed", 1]);
  });
});
