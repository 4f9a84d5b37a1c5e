/**
 * Budgets with the real Claude Code against the model stand-in: a budget
 * below the plan's cost pauses the run with exit 5, `resume --budget`
 * finishes it in the same session, and the recorded cost is exactly what
 * the stand-in charged for every call, the one cut at the budget included.
 * And a kill -9 of maos mid-turn still leaves the cut turn's cost recorded
 * (priced by maos from the streamed usage, marked as estimated).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assert,
  assertEquals,
  assertIncludes,
  maosOk,
  MaosProcess,
  readEvents,
  waitForOrchestration,
  waitUntil,
  writePlan,
} from "./_engine_helpers.ts";
import { bash, chargedUsd, say } from "../../standin/mod.ts";
import {
  sessionOf,
  statusOf,
  withClaudeProject,
} from "../agents/_maos_claude.ts";

const USAGE = { input: 1000, output: 100 }; // $0.0075 at Opus's $5 / $25 per million

function assertUsd(actual: number, expected: number, what: string): void {
  assert(
    Math.abs(actual - expected) < 2e-6,
    `${what}: expected $${expected}, maos recorded $${actual}`,
  );
}

/** Orchestrate two dependent tasks of one claude agent with `budget`; it must pause at it (exit 5). */
async function runToBudget(
  dir: string,
  env: Record<string, string>,
  budget: string[],
) {
  const plan = writePlan(dir, {
    agents: [{ id: "dev-001", role: "developer", driver: "claude" }],
    tasks: [
      { id: "one", agent: "dev-001", title: "First" },
      { id: "two", agent: "dev-001", title: "Second", dependsOn: ["one"] },
    ],
  });
  const run = await maosOk(
    ["orchestrate", "Two steps", "--plan", plan, ...budget],
    { cwd: dir, env, code: 5 },
  );
  const [id] = fs.readdirSync(path.join(dir, ".maos", "orchestrations"));
  return { run, id };
}

Deno.test("real claude: a budget below the plan's cost pauses with exit 5, resume --budget finishes in the same session, and the cost is what the stand-in charged", async () => {
  await withClaudeProject([], async ({ model, box, dir }) => {
    model.script(
      say("One done.", USAGE),
      // Over what is left: Claude stops after this call (--max-budget-usd),
      // maos pauses the turn; the Bash call is never run.
      bash("touch ran-too-early && echo ok", USAGE),
    );
    const { run, id } = await runToBudget(dir, box.env, ["--budget", "0.01"]);
    assertIncludes(run.stdout, "💰 Budget $0.01 ($0.00 spent, $0.01 left)");
    assertIncludes(
      run.stdout,
      `💰 Budget $0.01 reached ($0.0150 spent). Resume with: maos orchestration resume ${
        id.slice(0, 8)
      } --budget`,
    );
    assert(!fs.existsSync(path.join(dir, "ran-too-early")), run.stdout);
    // The second task got what was left of the budget.
    const second = model.turns()[1].body as {
      messages: { content: unknown }[];
    };
    assertIncludes(JSON.stringify(second.messages), "$0.0025");
    const paused = await statusOf(dir, id, box.env);
    assertEquals(paused.status, "paused");
    assertEquals(paused.tasks.map((t) => t.status), ["completed", "paused"]);
    assertEquals(paused.budget, {
      usd: 0.01,
      tokens: null,
      spentUsd: paused.cost,
      spentTokens: paused.inputTokens + paused.outputTokens,
      reached: true,
    });
    assertUsd(paused.cost, chargedUsd(model.bills), "after the budget pause");
    const status = await maosOk(["orchestration", "status", id], {
      cwd: dir,
      env: box.env,
    });
    assertIncludes(status.stdout, "of $0.01 spent (150%) · 💰 reached");
    assertIncludes(status.stdout, `resume ${id.slice(0, 8)} --budget 0.02`);

    // Without more budget nothing runs: the same line, exit 5 again.
    const again = await maosOk(["orchestration", "resume", id], {
      cwd: dir,
      env: box.env,
      code: 5,
    });
    assertIncludes(again.stdout, "💰 Budget $0.01 reached");
    const calls = model.turns().length;

    model.script(
      bash("echo resumed > resumed.txt", USAGE),
      say("Two done.", USAGE),
    );
    await maosOk(["orchestration", "resume", id, "--budget", "1"], {
      cwd: dir,
      env: box.env,
    });
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed");
    assertEquals(model.turns().length, calls + 2);
    // The cut turn went on in its session.
    assertEquals(sessionOf(model.turns()[calls]), sessionOf(model.turns()[1]));
    assertEquals(done.budget?.usd, 1);
    assertEquals(done.budget?.reached, false);
    assertEquals(done.estimatedCost, 0);
    assertUsd(done.cost, chargedUsd(model.bills), "in the end");
  });
});

Deno.test("real claude: a token budget stops the turn that crosses it mid-stream, and resume --budget-tokens finishes", async () => {
  await withClaudeProject([], async ({ model, box, dir }) => {
    // 1100 tokens each; the second call's input alone crosses 1500.
    model.script(
      say("One done.", USAGE),
      bash("touch ran-too-early", USAGE),
    );
    const { run, id } = await runToBudget(dir, box.env, [
      "--budget-tokens",
      "1.5k",
    ]);
    assertIncludes(
      run.stdout,
      `💰 Budget 1,500 tokens reached (2,200 tokens spent). Resume with: maos orchestration resume ${
        id.slice(0, 8)
      } --budget-tokens 3000`,
    );
    // No dollar limit: Claude got no --max-budget-usd.
    const second = JSON.stringify(model.turns()[1].body);
    assert(!second.includes("USD budget"), second);
    const paused = await statusOf(dir, id, box.env);
    assertEquals(paused.budget?.tokens, 1500);
    assertEquals(paused.budget?.usd, null);
    assertEquals(paused.tasks.map((t) => t.status), ["completed", "paused"]);

    model.script(say("Two done.", USAGE));
    await maosOk(["orchestration", "resume", id, "--budget-tokens", "10000"], {
      cwd: dir,
      env: box.env,
    });
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed");
    assertEquals(
      done.budget?.spentTokens,
      done.inputTokens + done.outputTokens,
    );
    assertUsd(done.cost, chargedUsd(model.bills), "in the end");
  });
});

Deno.test("real claude: after kill -9 of maos mid-turn, the cut turn's cost is recorded, marked as estimated", async () => {
  await withClaudeProject([], async ({ model, box, dir }) => {
    const plan = writePlan(dir, {
      agents: [{ id: "dev-001", role: "developer", driver: "claude" }],
      tasks: [{ id: "build", agent: "dev-001", title: "Build it" }],
    });
    model.script(
      bash("touch started && sleep 30", { input: 2000, output: 200 }),
    );
    const maos = new MaosProcess(["orchestrate", "Build it", "--plan", plan], {
      cwd: dir,
      env: box.env,
    });
    const id = await waitForOrchestration(dir, maos);
    await waitUntil(
      () => fs.existsSync(path.join(dir, "started")),
      () => `the Bash call started\n${maos.output()}`,
    );
    const charged = chargedUsd(model.bills);
    assertEquals(charged, 0.015);
    const recorded = () =>
      readEvents(dir, id).reduce(
        (usd, e) => usd + (e.type === "cost" ? e.costUsd ?? 0 : 0),
        0,
      );
    // The message's usage came before its tool ran; the log has it soon after.
    await waitUntil(
      () => Math.abs(recorded() - charged) < 1e-9,
      () =>
        `cost events worth $${charged}: ${JSON.stringify(readEvents(dir, id))}`,
    );
    maos.kill("SIGKILL");
    await maos.exit();
    const cut = await statusOf(dir, id, box.env);
    assertEquals(cut.status, "interrupted");
    assertUsd(cut.cost, charged, "the cut turn");
    assertUsd(cut.estimatedCost ?? 0, charged, "estimated");
    assertUsd(
      cut.agents[0].estimatedCost ?? 0,
      charged,
      "the agent's estimate",
    );
    assertEquals([cut.inputTokens, cut.outputTokens], [2000, 200]);
    const text = await maosOk(["orchestration", "status", id], {
      cwd: dir,
      env: box.env,
    });
    assertIncludes(text.stdout, "$0.0150 (est.)");
    assertIncludes(
      text.stdout,
      "($0.0150 of it estimated from streamed usage)",
    );
  });
});

Deno.test("real claude: the planner's request counts in the total (in no agent's), so the total is what the stand-in billed", async () => {
  await withClaudeProject([], async ({ model, box, dir }) => {
    const plan = {
      agents: [{ id: "dev-001", role: "developer", instructions: "" }],
      tasks: [{ id: "build", agent: "dev-001", title: "Build it" }],
    };
    model.script(
      say(JSON.stringify(plan), { input: 3000, output: 300 }),
      say("Built.", USAGE),
    );
    await maosOk(["orchestrate", "Build it", "--driver", "claude"], {
      cwd: dir,
      env: box.env,
    });
    const [id] = fs.readdirSync(path.join(dir, ".maos", "orchestrations"));
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed");
    assertUsd(done.cost, chargedUsd(model.bills), "the total");
    assertUsd(done.agents[0].cost, 0.0075, "the agent");
    assertEquals(done.inputTokens, 4000);
    assertUsd(done.plannerCost ?? 0, 0.0225, "the planner");
  });
});
