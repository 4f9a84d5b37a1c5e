/**
 * Cost with the real Claude Code (2.1.197) against the model stand-in: its
 * `total_cost_usd` is one run's, so an agent's cost is the sum of its runs —
 * three tasks in one session cost three runs, not the last one; a paused
 * run counts too.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assert,
  assertEquals,
  assertIncludes,
  maosOk,
  MaosProcess,
  orchestrationIds,
  readEvents,
  waitForOrchestration,
  waitUntil,
} from "./_engine_helpers.ts";
import { say, stallMidStream } from "../standin/mod.ts";
import { statusOf, withClaudeProject } from "../agents/_maos_claude.ts";

const USAGE = { input: 1000, output: 100 };

Deno.test("real claude: one agent's three tasks in one session cost the sum of its three runs, tokens too", async () => {
  await withClaudeProject([], async ({ model, box, dir }) => {
    // What one run with this usage costs, as the CLI itself reports it.
    model.script(say("Measured.", USAGE));
    const single = await box.claude([
      "-p",
      "Say hi",
      "--output-format",
      "stream-json",
      "--verbose",
    ]);
    const result = single.lines.at(-1)!;
    const runCost = result.total_cost_usd as number;
    assert(runCost > 0, JSON.stringify(result));

    model.script(
      say("Step a done\n::maos::progress:: 100", USAGE),
      say("Step b done", USAGE),
      say("Step c done", USAGE),
    );
    const plan = path.join(dir, "plan.json");
    fs.writeFileSync(
      plan,
      JSON.stringify({
        agents: [{ id: "dev-001", role: "developer", driver: "claude" }],
        tasks: ["a", "b", "c"].map((id, i) => ({
          id,
          agent: "dev-001",
          title: `Step ${id}`,
          dependsOn: i ? [["a", "b"][i - 1]] : [],
        })),
      }),
    );
    const run = await maosOk(["orchestrate", "Three steps", "--plan", plan], {
      cwd: dir,
      env: box.env,
    });
    const [id] = orchestrationIds(dir);
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed");
    const agent = done.agents[0];
    assertEquals(agent.cost, Math.round(3 * runCost * 1e6) / 1e6);
    assertEquals(done.cost, agent.cost);
    assertEquals([agent.inputTokens, agent.outputTokens], [3000, 300]);
    assertIncludes(run.stdout, `$${agent.cost.toFixed(4)}`);
    assert(!run.stdout.includes("::maos::"), run.stdout);
  });
});

Deno.test("real claude: a paused run's result is counted, and the resumed run's cost and tokens are added to it", async () => {
  await withClaudeProject(
    [stallMidStream(120_000, say("Half of it", USAGE))],
    async ({ model, box, dir }) => {
      const plan = path.join(dir, "plan.json");
      fs.writeFileSync(
        plan,
        JSON.stringify({
          agents: [{ id: "dev-001", role: "developer", driver: "claude" }],
          tasks: [{ id: "build", agent: "dev-001", title: "Build it" }],
        }),
      );
      const maos = new MaosProcess(
        ["orchestrate", "Build it", "--plan", plan],
        { cwd: dir, env: box.env },
      );
      const id = await waitForOrchestration(dir, maos);
      await model.waitForTurns(1);
      await waitUntil(
        () => readEvents(dir, id).some((e) => e.type === "agent.session"),
        () => `the session saved\n${maos.output()}`,
      );
      maos.kill("SIGINT");
      assertEquals((await maos.exit()).code, 130, maos.output());
      // The interrupted run's result line is recorded as a cost event (its
      // dollars and tokens: Claude says $0 for a message it had not finished;
      // tokens it had streamed are kept when the result says fewer).
      const costs = () =>
        readEvents(dir, id).filter((e) => e.type === "cost").length;
      assertEquals(costs(), 1);
      const paused = (await statusOf(dir, id, box.env)).agents[0];

      model.script(say("Built it.", USAGE));
      await maosOk(["orchestration", "resume", id], { cwd: dir, env: box.env });
      const done = (await statusOf(dir, id, box.env)).agents[0];
      assertEquals(costs(), 2);
      assertEquals(
        [done.inputTokens, done.outputTokens],
        [paused.inputTokens + 1000, paused.outputTokens + 100],
      );
      assert(done.cost > paused.cost, `${done.cost} > ${paused.cost}`);
    },
  );
});
