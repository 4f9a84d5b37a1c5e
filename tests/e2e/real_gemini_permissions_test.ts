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

Deno.test("real gemini: the plan's allow rule runs node test.js; an unallowed call is a permission.denied, and the task says so", async () => {
  await withGeminiProject([], async ({ model, box, dir }) => {
    fs.writeFileSync(
      path.join(dir, "test.js"),
      'require("fs").appendFileSync("ran.txt", "ok\\n"); console.log("1 passing");\n',
    );
    const plan = path.join(dir, "plan.json");
    fs.writeFileSync(
      plan,
      JSON.stringify({
        agents: [{
          id: "tester-001",
          role: "tester",
          driver: "gemini",
          permissions: { allow: ["Bash(node test.js)"] },
        }],
        tasks: [{ id: "test", agent: "tester-001", title: "Run the tests" }],
      }),
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
    assertEquals(
      fs.readFileSync(path.join(dir, "ran.txt"), "utf8"),
      "ok\n",
      why,
    );
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
