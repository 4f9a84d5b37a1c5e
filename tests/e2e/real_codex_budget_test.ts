/**
 * A token budget with the real Codex CLI (which reports tokens, no
 * dollars) against the model stand-in: spending past it pauses before the
 * next turn with exit 5, and `resume --budget-tokens` finishes on the same
 * thread.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assertEquals,
  assertIncludes,
  maosOk,
  writePlan,
} from "./_engine_helpers.ts";
import { say } from "../../standin/mod.ts";
import { statusOf, withClaudeProject } from "../agents/_maos_claude.ts";

Deno.test("real codex: a token budget pauses before the next turn with exit 5, and resume --budget-tokens finishes on the same thread", async () => {
  await withClaudeProject([], async ({ model, box, dir }) => {
    const plan = writePlan(dir, {
      agents: [{ id: "dev-001", role: "developer", driver: "codex" }],
      tasks: [
        { id: "one", agent: "dev-001", title: "First" },
        { id: "two", agent: "dev-001", title: "Second", dependsOn: ["one"] },
      ],
    });
    model.script(say("One done.", { input: 1000, output: 100 }));
    const run = await maosOk(
      ["orchestrate", "Two steps", "--plan", plan, "--budget-tokens", "500"],
      { cwd: dir, env: box.env, code: 5 },
    );
    const [id] = fs.readdirSync(path.join(dir, ".maos", "orchestrations"));
    assertIncludes(
      run.stdout,
      `💰 Budget 500 tokens reached (1,100 tokens spent). Resume with: maos orchestration resume ${
        id.slice(0, 8)
      } --budget-tokens 1600`,
    );
    assertEquals(model.turns().length, 1);
    const paused = await statusOf(dir, id, box.env);
    assertEquals(paused.tasks.map((t) => t.status), ["completed", "pending"]);
    assertEquals(paused.budget?.reached, true);
    const thread = paused.agents[0].sessionId;

    model.script(say("Two done.", { input: 2000, output: 200 }));
    await maosOk(["orchestration", "resume", id, "--budget-tokens", "1M"], {
      cwd: dir,
      env: box.env,
    });
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed");
    assertEquals(done.agents[0].sessionId, thread);
    assertEquals(
      done.budget?.spentTokens,
      done.inputTokens + done.outputTokens,
    );
    assertEquals(done.budget?.reached, false);
  });
});
