/**
 * API failures seen through maos with the real Claude Code: a refused key
 * (401) stops before anything is created; an overloaded API (529) fails the
 * task with the reason, and a resume once the API is back completes it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assertContiguousSeq,
  assertEquals,
  assertIncludes,
  maosOk,
  orchestrationIds,
  readEvents,
  runMaos,
} from "./_engine_helpers.ts";
import { fail, say } from "../../standin/mod.ts";
import {
  sessionOf,
  statusOf,
  withClaudeProject,
} from "../agents/_maos_claude.ts";

/** Every file under `dir` with its bytes, for a before/after comparison. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true })) {
    const file = path.join(dir, String(entry));
    if (fs.statSync(file).isFile()) {
      files[String(entry)] = fs.readFileSync(file, "base64");
    }
  }
  return files;
}

/** The summary of the latest status change of `task` that has one. */
function lastSummary(dir: string, id: string, task: string): string {
  let summary = "";
  for (const e of readEvents(dir, id)) {
    if (e.type === "task.status" && e.task === task && e.summary) {
      summary = e.summary;
    }
  }
  return summary;
}

Deno.test("real claude: a 401 from the API is one clear line, exit 1, and leaves .maos as it was", async () => {
  await withClaudeProject([], async ({ model, box, dir }) => {
    // An earlier orchestration (shell driver) that must survive untouched.
    fs.writeFileSync(
      path.join(dir, "plan.json"),
      JSON.stringify({
        agents: [{ id: "sh-001", role: "shell", instructions: "" }],
        tasks: [{ id: "t", agent: "sh-001", title: "Echo", run: "echo hi" }],
      }),
    );
    await maosOk(["orchestrate", "Earlier", "--plan", "plan.json"], {
      cwd: dir,
      env: box.env,
    });
    const before = snapshot(path.join(dir, ".maos"));

    model.outage = fail(401);
    const run = await runMaos([
      "orchestrate",
      "Add login",
      "--driver",
      "claude",
    ], {
      cwd: dir,
      env: box.env,
    });
    assertEquals(run.code, 1, run.stderr);
    assertEquals(run.stderr.trimEnd().split("\n"), [
      "maos: Claude Code's API key was refused (Invalid API key · Fix external API key)",
      "hint: log in with `claude` then /login (or set a valid ANTHROPIC_API_KEY), or use --driver shell or sim",
    ]);
    assertEquals(model.turns().length, 1, "the planner's one request");
    assertEquals(orchestrationIds(dir).length, 1);
    assertEquals(snapshot(path.join(dir, ".maos")), before);
  });
});

Deno.test("real claude: 529 overloaded fails the task with the reason; resume completes it once the API is back", async () => {
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
        tasks: [{ id: "build", agent: "dev-001", title: "Build the thing" }],
      }),
    );
    model.outage = fail(529);
    const failed = await runMaos([
      "orchestrate",
      "Build it",
      "--plan",
      "plan.json",
    ], {
      cwd: dir,
      env: box.env,
    });
    assertEquals(failed.code, 1, failed.stdout + failed.stderr);
    const [id] = orchestrationIds(dir);
    const after = await statusOf(dir, id, box.env);
    assertEquals(after.status, "failed");
    assertEquals(after.tasks[0].status, "failed");
    assertIncludes(lastSummary(dir, id, "build"), "529 Overloaded");
    assertIncludes(failed.stdout, "failed: Build the thing — API Error: 529");
    // CLAUDE_CODE_MAX_RETRIES=0: Claude Code asked once, no backoff.
    assertEquals(model.turns().length, 1);
    const session = after.agents[0].sessionId;

    model.outage = undefined;
    model.script(say("Built it."));
    const resumed = await maosOk(["orchestration", "resume", id], {
      cwd: dir,
      env: box.env,
    });
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed", resumed.stdout + resumed.stderr);
    assertEquals(lastSummary(dir, id, "build"), "Built it.");
    // The failed run's session goes on.
    assertEquals(sessionOf(model.turns()[1]), session);
    assertContiguousSeq(readEvents(dir, id));
  });
});
