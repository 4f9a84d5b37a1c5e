/**
 * What an agent cost, with the real Claude Code and known token usage from
 * the model stand-in. Claude Code's `total_cost_usd` is the cost of one
 * invocation (shared/CLAUDE-PROTOCOL.md), so an agent's cost is the SUM over
 * all its invocations — an interrupted one included.
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
import { bash, say, stallMidStream } from "../../standin/mod.ts";
import { statusOf, withClaudeProject } from "../agents/_maos_claude.ts";

/** Claude Code's price of its default model: $5 / $25 per million tokens in / out. */
function opusCost(input: number, output: number): number {
  return (input * 5 + output * 25) / 1_000_000;
}

function assertUsd(actual: number, expected: number, what: string): void {
  assert(
    Math.abs(actual - expected) < 1e-6,
    `${what}: expected $${expected}, maos shows $${actual}`,
  );
}

// A sum over invocations, the interrupted one included (maos once replaced
// the agent's cost with the latest invocation's).
Deno.test({
  name:
    "real claude: an agent's cost is the sum of its invocations, the interrupted one included",
  fn: async () => {
    await withClaudeProject([], async ({ model, box, dir }) => {
      fs.writeFileSync(
        path.join(dir, "plan.json"),
        JSON.stringify({
          agents: [{
            id: "dev-001",
            role: "developer",
            driver: "claude",
            instructions: "",
          }],
          tasks: [
            { id: "one", agent: "dev-001", title: "First" },
            {
              id: "two",
              agent: "dev-001",
              title: "Second",
              dependsOn: ["one"],
            },
          ],
        }),
      );
      const first = opusCost(1000, 100); // task one
      const cut = opusCost(2000, 200); // task two until the pause
      const last = opusCost(3000, 300); // task two after resume
      model.script(
        say("One done.", { input: 1000, output: 100 }),
        // Ctrl-C lands while this command runs: Claude Code then ends with
        // a result that reports this invocation's cost so far. (Interrupted
        // while waiting for the model's first byte it prints no result.)
        bash("touch started && sleep 30", { input: 2000, output: 200 }),
      );
      const maos = new MaosProcess(
        ["orchestrate", "Cost it", "--plan", "plan.json"],
        { cwd: dir, env: box.env },
      );
      const id = await waitForOrchestration(dir, maos);
      await waitUntil(
        () => fs.existsSync(path.join(dir, "started")),
        () => `the Bash call of task two started\n${maos.output()}`,
      );
      maos.kill("SIGINT");
      assertEquals((await maos.exit()).code, 130, maos.output());
      // The interrupted invocation reported what it had spent.
      await waitUntil(
        () => readEvents(dir, id).filter((e) => e.type === "cost").length >= 2,
        () => JSON.stringify(readEvents(dir, id)),
      );
      const paused = await statusOf(dir, id, box.env);
      assertUsd(paused.agents[0].cost, first + cut, "after the pause");

      model.script(say("Two done.", { input: 3000, output: 300 }));
      await maosOk(["orchestration", "resume", id], { cwd: dir, env: box.env });
      const done = await statusOf(dir, id, box.env);
      assertEquals(done.status, "completed");
      assertUsd(done.agents[0].cost, first + cut + last, "agent");
      assertUsd(done.cost, first + cut + last, "orchestration");
    });
  },
});

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
      // The CLI's own figures (estimates streamed before each are taken back by it).
      const costs = () =>
        readEvents(dir, id).filter((e) => e.type === "cost" && !e.estimated)
          .length;
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
