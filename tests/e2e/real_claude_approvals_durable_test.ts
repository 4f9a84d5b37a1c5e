/**
 * Approvals that outlive the process that asked, with the real Claude Code
 * against the model stand-in: a grant given after `kill -9` of maos, and a
 * decision made in another clone (committed and pulled), are applied by
 * `resume`, and the agent goes on in its own session.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assertEquals,
  assertIncludes,
  liveAgentsOf,
  maosOk,
  readEvents,
  waitUntil,
} from "./_engine_helpers.ts";
import { bash, lastUserText, say } from "../../standin/mod.ts";
import {
  sessionOf,
  statusOf,
  withClaudeProject,
} from "../agents/_maos_claude.ts";
import { git } from "../../lib/git/git.ts";
import { gitInit } from "./_git_project.ts";
import {
  ofType,
  projectWithTest,
  ran,
  start,
  startWaiting,
  waitForRequest,
} from "./_approvals.ts";

Deno.test("real claude: kill -9 of maos while an agent waits for approval; a grant then and a resume run the call once, in the same session", async () => {
  await withClaudeProject([], async (project) => {
    const { model, box, dir } = project;
    const { maos, id } = await startWaiting(project, 600);
    const session = sessionOf(model.turns()[0]);
    maos.kill("SIGKILL");
    await maos.exit();
    // The agent (and the maos mcp it started) must not outlive maos.
    await waitUntil(() => liveAgentsOf(id).length === 0, "agents gone", 10_000);
    const interrupted = await statusOf(dir, id, box.env);
    assertEquals(interrupted.status, "interrupted");
    assertEquals(interrupted.tasks[0].waitingFor, [1]);

    await maosOk(["approval", "grant", id, "1"], { cwd: dir, env: box.env });
    // A killed claude may make one last request before it dies (its MCP
    // server went first: "Connection closed"); the resumed turn comes after.
    const before = model.turns().length;
    model.script(bash("node test.js"), say("1 passing."));
    const resumed = await maosOk(["orchestration", "resume", id], {
      cwd: dir,
      env: box.env,
    });
    assertEquals(ran(dir), 1, resumed.stdout + resumed.stderr);
    const again = model.turns()[before];
    assertEquals(sessionOf(again), session);
    assertIncludes(lastUserText(again.body), "was granted");
    const events = readEvents(dir, id);
    assertEquals(ofType(events, "approval.requested").length, 1);
    assertEquals(ofType(events, "approval.note").map((e) => e.note), ["used"]);
    assertEquals((await statusOf(dir, id, box.env)).status, "completed");
  });
});

Deno.test("real claude: a decision made in another clone, committed and pulled, is applied by resume", async () => {
  await withClaudeProject([], async (project) => {
    const { model, box, dir } = project;
    const plan = projectWithTest(dir, undefined, 1, 1);
    await gitInit(dir);
    model.script(bash("node test.js"), say("Waiting for approval."));
    const { maos, id } = await start(project, plan);
    assertEquals((await maos.exit(60_000)).code, 130, maos.output());
    await git(dir, ["add", "-A", ".maos"]);
    await git(dir, ["commit", "-q", "-m", "paused, waiting for approval"]);

    // Someone else, in their own clone, answers and pushes their commit.
    const other = path.join(box.root, "other");
    await git(box.root, ["clone", "-q", dir, other]);
    const decided = await maosOk(["approval", "grant", id, "1"], {
      cwd: other,
      env: box.env,
    });
    assertIncludes(decided.stderr, "Applied when it resumes");
    await git(other, [
      "-c",
      "user.name=ann",
      "-c",
      "user.email=a@x",
      "commit",
      "-q",
      "-am",
      "grant #1",
    ]);
    await git(dir, ["pull", "-q", "--no-rebase", other, "main"]);

    model.script(bash("node test.js"), say("1 passing."));
    const resumed = await maosOk(["orchestration", "resume", id], {
      cwd: dir,
      env: box.env,
    });
    const turns = model.turns();
    assertEquals(sessionOf(turns[2]), sessionOf(turns[0]));
    assertIncludes(lastUserText(turns[2].body), "was granted");
    // test.js ran (in the agent's worktree): its output is the tool's result.
    assertIncludes(lastUserText(turns[3].body), "1 passing");
    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed", resumed.stdout + resumed.stderr);
    assertEquals(done.approvals?.map((a) => [a.status, a.by !== undefined]), [
      ["granted", true],
    ]);
    // The log says who asked and who decided, and when.
    const [asked] = ofType(readEvents(dir, id), "approval.requested");
    const [answer] = ofType(readEvents(dir, id), "approval.decided");
    assertEquals(asked.agent, "tester-001");
    assertEquals(typeof answer.decidedAt, "string");
    assertEquals(
      fs.existsSync(path.join(dir, "ran.txt")),
      false,
      "ran in the worktree, not here",
    );
  });
});

Deno.test("real claude: Ctrl-C while an agent waits pauses; a resume with no answer yet pauses again at once without a model call; then grant and resume finish", async () => {
  await withClaudeProject([], async (project) => {
    const { model, box, dir } = project;
    const { maos, id } = await startWaiting(project, 600);
    maos.kill("SIGINT");
    assertEquals((await maos.exit(30_000)).code, 130, maos.output());
    // Nothing of the agent keeps waiting (its maos mcp neither).
    await waitUntil(() => liveAgentsOf(id).length === 0, "agents gone", 10_000);
    const paused = await statusOf(dir, id, box.env);
    assertEquals(paused.status, "paused");
    assertEquals(paused.tasks[0].waitingFor, [1]);
    const waiting = await maosOk(
      ["--json", "approval", "list", "--all", "--pending"],
      { cwd: dir, env: box.env },
    );
    assertEquals(
      waiting.json<{ orchestration: string; n: number }[]>().map((r) => [
        r.orchestration,
        r.n,
      ]),
      [[id, 1]],
    );

    const turns = model.turns().length;
    const early = await maosOk(["orchestration", "resume", id], {
      cwd: dir,
      env: box.env,
      code: 130,
    });
    assertIncludes(early.stdout, `maos approval grant ${id.slice(0, 8)} 1`);
    assertEquals(model.turns().length, turns, "no model call while it waits");

    await maosOk(["approval", "grant", id, "1"], { cwd: dir, env: box.env });
    model.script(bash("node test.js"), say("1 passing."));
    const resumed = await maosOk(["orchestration", "resume", id], {
      cwd: dir,
      env: box.env,
    });
    assertEquals(ran(dir), 1, resumed.stdout + resumed.stderr);
    assertEquals(ofType(readEvents(dir, id), "approval.requested").length, 1);
    assertEquals((await statusOf(dir, id, box.env)).status, "completed");
  });
});

Deno.test("real claude: Ctrl-C while an agent waits, then a denial and a resume: the task ends saying the call was refused, never a plain ✅", async () => {
  await withClaudeProject([], async (project) => {
    const { model, box, dir } = project;
    const { maos, id } = await startWaiting(project, 600);
    maos.kill("SIGINT");
    assertEquals((await maos.exit(30_000)).code, 130, maos.output());
    await waitUntil(() => liveAgentsOf(id).length === 0, "agents gone", 10_000);
    await maosOk(["approval", "deny", id, "1", "--reason", "not today"], {
      cwd: dir,
      env: box.env,
    });
    model.script(say("Skipped the tests, as asked."));
    const resumed = await maosOk(["orchestration", "resume", id], {
      cwd: dir,
      env: box.env,
    });
    assertEquals(ran(dir), 0, resumed.stdout + resumed.stderr);
    assertIncludes(resumed.stdout, "1 tool call refused: Bash node test.js");
    const refusals = ofType(readEvents(dir, id), "permission.denied");
    assertEquals(refusals.map((e) => e.tool), ["Bash"]);
    assertEquals((await statusOf(dir, id, box.env)).status, "completed");
  });
});

Deno.test("real claude: an agent silent while it waits for approval gets a stall notice naming the approval, not its tool call", async () => {
  await withClaudeProject([], async (project) => {
    const { model, dir } = project;
    const plan = projectWithTest(dir, undefined, 1, 600);
    const config = path.join(dir, ".maos", "maos.json");
    fs.writeFileSync(
      config,
      JSON.stringify({
        ...JSON.parse(fs.readFileSync(config, "utf8")),
        stallWarnSeconds: 1,
      }),
    );
    model.script(bash("node test.js"));
    const { maos, id } = await start(project, plan);
    await waitForRequest(dir, id, maos);
    // The notice that comes after the request (one may come before it).
    const afterAsking = () =>
      maos.output().split("✋ [tester-001] asks")[1]?.split("\n").find((l) =>
        l.includes("has printed nothing")
      );
    await waitUntil(
      () => afterAsking() !== undefined,
      () => `a stall notice after the request\n${maos.output()}`,
      30_000,
    );
    const notice = afterAsking();
    assertIncludes(notice ?? "", "a person to answer approval #1");
    maos.kill("SIGINT");
    assertEquals((await maos.exit(30_000)).code, 130, maos.output());
  });
});
