/**
 * maos with the real Claude Code (tests/agents/_real_cli.ts) against the
 * model stand-in: Claude plans, two agents work in order, a discovery of the
 * first reaches the second's prompt, tools run for real.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assert,
  assertContiguousSeq,
  assertEquals,
  assertIncludes,
  maosOk,
  orchestrationIds,
  readEvents,
} from "./_engine_helpers.ts";
import {
  bash,
  lastUserText,
  say,
  systemText,
  toolNames,
  write,
} from "../../standin/mod.ts";
import {
  sessionOf,
  statusOf,
  withClaudeProject,
} from "../agents/_maos_claude.ts";

const PLAN = {
  agents: [
    { id: "analyst-001", role: "analyst", instructions: "Find the risks." },
    { id: "developer-001", role: "developer", instructions: "Fix them." },
  ],
  tasks: [
    { id: "analyse", agent: "analyst-001", title: "Find the risks" },
    {
      id: "fix",
      agent: "developer-001",
      title: "Fix the risks",
      dependsOn: ["analyse"],
    },
  ],
};

Deno.test("real claude: Claude plans, two agents run in order, a discovery reaches the next prompt", async () => {
  await withClaudeProject([], async ({ model, box, dir }) => {
    const fixed = path.join(dir, "fixed.txt");
    model.script(
      // The planner's turn: the plan as JSON.
      say(JSON.stringify(PLAN)),
      // analyst-001: a shell command, then its findings.
      bash("echo 'no auth on /admin' > risks.txt && cat risks.txt"),
      say(
        "Read the code.\n::maos::discovery:: the admin API has no auth\n" +
          "Found one risk.",
      ),
      // developer-001: writes a file, then sums up.
      write(fixed, "auth added\n"),
      say("Added auth to the admin API."),
    );
    const run = await maosOk(
      ["orchestrate", "Secure the API", "--driver", "claude"],
      { cwd: dir, env: box.env },
    );
    const [id] = orchestrationIds(dir);
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed", run.stdout + run.stderr);
    assertEquals(done.agents.map((a) => a.id), [
      "analyst-001",
      "developer-001",
    ]);
    assertEquals(
      done.tasks.map((t) => [t.id, t.status]),
      [["analyse", "completed"], ["fix", "completed"]],
    );
    assertEquals(
      fs.readFileSync(path.join(dir, "risks.txt"), "utf8"),
      "no auth on /admin\n",
    );
    assertEquals(fs.readFileSync(fixed, "utf8"), "auth added\n");
    assertEquals(model.unscripted, 0);

    const [plan, analyse, analyseEnd, fix, fixEnd] = model.turns();
    assertIncludes(lastUserText(plan.body), "Reply with ONLY a JSON object");
    // Each agent: its role in the system prompt, its task in the prompt, its own session.
    assertIncludes(
      systemText(analyse.body),
      "You are analyst-001, the analyst",
    );
    assertIncludes(systemText(analyse.body), "Find the risks.");
    assertIncludes(
      lastUserText(analyse.body),
      "Your task (analyse): Find the risks",
    );
    assertIncludes(lastUserText(analyseEnd.body), "no auth on /admin");
    assertIncludes(
      systemText(fix.body),
      "You are developer-001, the developer",
    );
    assert(toolNames(fix.body).includes("Write"), toolNames(fix.body).join());
    // The analyst's discovery is in the developer's prompt.
    const prompt = lastUserText(fix.body);
    assertIncludes(prompt, "Your task (fix): Fix the risks");
    assertIncludes(
      prompt,
      "discovery from analyst-001 to all: the admin API has no auth",
    );
    assertEquals(sessionOf(analyse), sessionOf(analyseEnd));
    assertEquals(sessionOf(fix), sessionOf(fixEnd));
    assert(sessionOf(analyse) !== sessionOf(fix), "one session per agent");
    assertEquals(
      done.agents.map((a) => a.sessionId),
      [sessionOf(analyse), sessionOf(fix)],
    );
    // The discovery is on the bus, from the analyst.
    const discoveries = readEvents(dir, id).flatMap((e) =>
      e.type === "message" && e.kind === "discovery"
        ? [[e.from, e.content]]
        : []
    );
    assertEquals(discoveries, [["analyst-001", "the admin API has no auth"]]);
    assertContiguousSeq(readEvents(dir, id));
  });
});
