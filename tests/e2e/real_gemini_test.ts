/**
 * maos driving the real Gemini CLI (0.61.0) against the model stand-in, in
 * a git repository: a whole orchestration with messages through the MCP
 * tools, tokens and prices; its settings and sessions stay out of the
 * worktree, its branch and ~/.gemini.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { gitText } from "../../lib/git/git.ts";
import {
  assert,
  assertEquals,
  assertIncludes,
  maosOk,
  readEvents,
} from "./_engine_helpers.ts";
import { geminiContents, geminiWrite, say, tool } from "../../standin/mod.ts";
import { statusOf } from "../agents/_maos_claude.ts";
import { gitInit, showFile, worktreeOf } from "./_git_project.ts";
import { geminiPlan, promptText, withGeminiProject } from "./_gemini.ts";

Deno.test("real gemini: a whole orchestration — sessions kept, MCP messages delivered, tokens per run, priced from maos.json, nothing in the worktree, its branch or ~/.gemini", async () => {
  await withGeminiProject([], async ({ model, box, dir }) => {
    const id = "00aa11bb22cc";
    const plan = geminiPlan(dir, [
      ["analyst", "analyze"],
      ["dev", "build", "analyze"],
      ["dev", "polish", "build"],
    ]);
    await gitInit(dir);
    await maosOk(["init"], { cwd: dir, env: box.env });
    const configFile = path.join(dir, ".maos", "maos.json");
    const config = JSON.parse(fs.readFileSync(configFile, "utf8"));
    config.drivers.gemini = {
      pricing: { inputPerMTok: 1, outputPerMTok: 10 },
    };
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2) + "\n");

    // The user's own Gemini settings (an OAuth login maos must not use):
    // left as they are, and nothing added next to them.
    const userGemini = path.join(box.home, ".gemini");
    fs.mkdirSync(userGemini);
    const userSettings =
      '{"security":{"auth":{"selectedType":"oauth-personal"}}}\n';
    fs.writeFileSync(path.join(userGemini, "settings.json"), userSettings);

    model.script(
      tool("mcp_maos_send_message", {
        content: "the API has no auth",
        kind: "discovery",
      }, { usage: { input: 100, output: 10 } }),
      tool("mcp_maos_report_progress", { percent: 60 }),
      say("Analysis done\n::maos::progress:: 100", { input: 100, output: 10 }),
      geminiWrite("built.txt", "built\n"),
      say("Built it", { input: 300, output: 30 }),
      say("Polished", { input: 400, output: 40 }),
    );
    const run = await maosOk(["orchestrate", "Add auth", "--plan", plan], {
      cwd: dir,
      env: { ...box.env, MAOS_NEW_ORCHESTRATION_ID: id },
    });
    assert(!run.stdout.includes("::maos::"), run.stdout);
    assertIncludes(run.stdout, "Analysis done");

    const done = await statusOf(dir, id, box.env);
    assertEquals(done.status, "completed");
    const sessions = done.agents.map((a) => a.sessionId);
    assert(
      sessions.every((s) => s && /^[0-9a-f-]{36}$/.test(s)),
      sessions.join(),
    );
    assert(sessions[0] !== sessions[1]);
    // Each invocation reports its own tokens (measured): analyst 100/10 +
    // 10/5 (report_progress) + 100/10, dev 10/5 (write_file) + 300/30 + 400/40.
    assertEquals(
      done.agents.map((a) => [a.id, a.inputTokens, a.outputTokens]),
      [["analyst", 210, 25], ["dev", 710, 75]],
    );
    assert(Math.abs(done.cost - 0.00192) < 1e-9, String(done.cost));

    // The discovery went through the MCP tool and reached dev's first prompt.
    const events = readEvents(dir, id);
    assert(
      events.some((e) =>
        e.type === "message" && e.from === "analyst" &&
        e.content === "the API has no auth"
      ),
      JSON.stringify(events.filter((e) => e.type === "message")),
    );
    assert(
      events.some((e) =>
        e.type === "task.progress" && e.task === "analyze" && e.progress === 60
      ),
      "report_progress reached the log",
    );
    const turns = model.turns();
    const devFirst = turns.find((t) =>
      promptText(t.body).includes("Your task (build)")
    );
    assert(devFirst, "dev's first turn");
    assertIncludes(promptText(devFirst.body), "the API has no auth");
    // dev's second task went on in its session: the history came again.
    const last = geminiContents(turns.at(-1)!.body).map((c) => c.text)
      .join("\n");
    assertIncludes(last, "Your task (build)");
    assertIncludes(last, "Your task (polish)");

    // The work is on dev's branch; the worktree holds nothing else.
    const branch = `maos/${id.slice(0, 8)}/dev`;
    assertEquals(await showFile(dir, branch, "built.txt"), "built\n");
    const worktree = worktreeOf(dir, id, "dev");
    assertEquals(
      await gitText(worktree, ["status", "--porcelain", "--ignored"]),
      "",
    );
    assertEquals(
      (await gitText(dir, ["ls-tree", "-r", "--name-only", branch])).split(
        "\n",
      ).filter((f) => f.includes(".gemini")),
      [],
    );
    // Settings and sessions are in maos's per-agent home, not in ~/.gemini.
    assertEquals(fs.readdirSync(userGemini), ["settings.json"]);
    assertEquals(
      fs.readFileSync(path.join(userGemini, "settings.json"), "utf8"),
      userSettings,
    );
    const home = path.join(dir, ".maos", "worktrees", id, "_gemini", "dev");
    const settings = JSON.parse(
      fs.readFileSync(path.join(home, ".gemini", "settings.json"), "utf8"),
    );
    assertEquals(settings.mcpServers.maos.trust, true);
    assertEquals(settings.mcpServers.maos.env.MAOS_AGENT_ID, "dev");
    assertEquals(settings.security.auth.selectedType, "gemini-api-key");
    assertEquals(settings.privacy.usageStatisticsEnabled, false);
    assert(
      fs.readdirSync(path.join(home, ".gemini", "tmp"), { recursive: true })
        .some((f) => String(f).includes(sessions[1]!.slice(0, 8))),
      "dev's session file is in its home",
    );
    // The project's own tree has nothing of Gemini's either.
    assertEquals(
      (await gitText(dir, ["status", "--porcelain"])).split("\n")
        .filter((l) => l.includes(".gemini")),
      [],
    );
  });
});

Deno.test("real gemini: in a project that is not a git repository, the agent's Gemini home is outside the project's files and goes with `orchestration remove`", async () => {
  await withGeminiProject([say("Done here")], async ({ box, dir }) => {
    const id = "0a1b2c3d4e5f";
    const plan = geminiPlan(dir, [["dev", "build"]]);
    await maosOk(["orchestrate", "Build it", "--plan", plan], {
      cwd: dir,
      env: { ...box.env, MAOS_NEW_ORCHESTRATION_ID: id },
    });
    // The agent worked in the project itself: the CLI left nothing there.
    assertEquals(fs.readdirSync(dir).sort(), [".maos", "plan.json"]);
    const home = path.join(dir, ".maos", "worktrees", id, "_gemini", "dev");
    assert(fs.existsSync(path.join(home, ".gemini", "settings.json")));
    await maosOk(["orchestration", "remove", id], { cwd: dir, env: box.env });
    assert(!fs.existsSync(path.join(dir, ".maos", "worktrees", id)), home);
  });
});
