/**
 * Bounded waits with the real CLIs: a model that never answers gets the
 * stall notice, then the turn timeout (the task fails, resumable), and a
 * resume completes once the model is back; a model that cannot be reached
 * at all is one line, for Claude Code and for Codex.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import {
  assert,
  assertEquals,
  assertIncludes,
  maosOk,
  MaosProcess,
  writePlan,
} from "./_engine_helpers.ts";
import { say, stall } from "../../standin/mod.ts";
import { standinCodexConfig } from "../../standin/codex_config.ts";
import { statusOf, withClaudeProject } from "../agents/_maos_claude.ts";
import { geminiPlan, withGeminiProject } from "./_gemini.ts";

/** A 127.0.0.1 port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** maos.json with these settings over the defaults. */
async function configure(
  dir: string,
  env: Record<string, string>,
  settings: Record<string, unknown>,
): Promise<void> {
  await maosOk(["init"], { cwd: dir, env });
  const file = path.join(dir, ".maos", "maos.json");
  const config = JSON.parse(fs.readFileSync(file, "utf8"));
  fs.writeFileSync(
    file,
    JSON.stringify({ ...config, ...settings }, null, 2) + "\n",
  );
}

Deno.test("real claude: a model that never answers gets the stall notice, then the turn timeout fails the task, and resume completes once the model is back", async () => {
  await withClaudeProject(
    [stall(120_000, say("Too late."))],
    async ({ model, box, dir }) => {
      await configure(dir, box.env, {
        stallWarnSeconds: 1,
        turnTimeoutSeconds: 8,
      });
      const plan = writePlan(dir, {
        agents: [{ id: "dev-001", role: "developer", driver: "claude" }],
        tasks: [{ id: "build", agent: "dev-001", title: "Build it" }],
      });
      const maos = new MaosProcess(
        ["orchestrate", "Build it", "--plan", plan],
        { cwd: dir, env: box.env },
      );
      // The test's own bound: the turn limit is 8 s.
      assertEquals((await maos.exit(30_000)).code, 1, maos.output());
      const notice =
        "⏳ [dev-001] has printed nothing for 1 s — waiting for the model to answer";
      assertIncludes(maos.stdout, notice);
      assertEquals(maos.stdout.split(notice).length, 2, "said once");
      assertIncludes(
        maos.stdout,
        "failed: Build it — timed out after 8 s (turnTimeoutSeconds) while waiting for the model to answer",
      );
      const [id] = fs.readdirSync(path.join(dir, ".maos", "orchestrations"));
      const failed = await statusOf(dir, id, box.env);
      assertEquals(failed.status, "failed");
      const session = failed.agents[0].sessionId;
      assert(session, "the session was kept");

      model.script(say("Built it."));
      const resumed = await maosOk(["orchestration", "resume", id], {
        cwd: dir,
        env: box.env,
      });
      assertIncludes(resumed.stdout, "completed: Build it");
      const done = await statusOf(dir, id, box.env);
      assertEquals(done.status, "completed");
      assertEquals(done.agents[0].sessionId, session);
    },
  );
});

Deno.test("real claude: an unreachable model is one line, not minutes of retries", async () => {
  await withClaudeProject([], async ({ box, dir }) => {
    // maos bounds Claude's retries itself (modelRetries) when the
    // environment does not.
    const { CLAUDE_CODE_MAX_RETRIES: _, ...env } = box.env;
    env.ANTHROPIC_BASE_URL = `http://127.0.0.1:${await closedPort()}`;
    const maos = new MaosProcess(["orchestrate", "Add a README"], {
      cwd: dir,
      env,
    });
    // Within 10 s, as the bound of this test (not a timing assertion).
    const { code } = await maos.exit(10_000);
    assertEquals(code, 1, maos.output());
    const lines = maos.stderr.trim().split("\n");
    assertEquals(
      lines[0],
      "maos: the model could not be reached: Unable to connect to API (ConnectionRefused)",
    );
    assert(
      lines.length <= 2 && lines.slice(1).every((l) => l.startsWith("hint: ")),
      maos.stderr,
    );
    assertEquals(fs.readdirSync(path.join(dir, ".maos", "orchestrations")), []);
  });
});

Deno.test("real codex: an unreachable model is one line, not reconnecting without end", async () => {
  await withClaudeProject([], async ({ box, dir }) => {
    fs.writeFileSync(
      path.join(box.codexHome, "config.toml"),
      standinCodexConfig(`http://127.0.0.1:${await closedPort()}`),
    );
    const maos = new MaosProcess(
      ["orchestrate", "Add a README", "--driver", "codex"],
      { cwd: dir, env: box.env },
    );
    const { code } = await maos.exit(10_000);
    assertEquals(code, 1, maos.output());
    const lines = maos.stderr.trim().split("\n");
    assert(
      lines[0].startsWith("maos: the model could not be reached: "),
      maos.output(),
    );
    assert(lines.length <= 2, maos.stderr);
  });
});

Deno.test("real claude: a planner that gets no answer is stopped at planTimeoutSeconds, one line, nothing created", async () => {
  await withClaudeProject(
    [stall(120_000, say("Too late."))],
    async ({ box, dir }) => {
      await configure(dir, box.env, {
        stallWarnSeconds: 1,
        planTimeoutSeconds: 6,
      });
      const maos = new MaosProcess(["orchestrate", "Add a README"], {
        cwd: dir,
        env: box.env,
      });
      assertEquals((await maos.exit(30_000)).code, 1, maos.output());
      assertIncludes(
        maos.stdout,
        "⏳ Claude has printed nothing for 1 s — waiting for",
      );
      assertEquals(
        maos.stderr.trim().split("\n")[0],
        "maos: Claude gave no plan: timed out after 6 s (planTimeoutSeconds) while waiting for the model to answer",
      );
      assertEquals(
        fs.readdirSync(path.join(dir, ".maos", "orchestrations")),
        [],
      );
    },
  );
});

for (
  const [where, args] of [
    ["the planner", ["orchestrate", "Add a README", "--driver", "gemini"]],
    ["a turn", ["orchestrate", "Build it", "--plan"]],
  ] as const
) {
  Deno.test(`real gemini: an unreachable model is one line in ${where}, not minutes of retries`, async () => {
    await withGeminiProject([], async ({ box, dir }) => {
      const env = {
        ...box.env,
        GOOGLE_GEMINI_BASE_URL: `http://127.0.0.1:${await closedPort()}`,
      };
      const argv = args.at(-1) === "--plan"
        ? [...args, geminiPlan(dir, [["dev", "b"]])]
        : [...args];
      const maos = new MaosProcess(argv, { cwd: dir, env });
      // Within 10 s, as the bound of this test (not a timing assertion).
      const { code } = await maos.exit(10_000);
      assertEquals(code, 1, maos.output());
      const planner = where === "the planner";
      const lines = (planner ? maos.stderr : maos.stdout).trim().split("\n");
      const line = planner
        ? lines[0]
        : lines.find((l) => l.includes("failed: Do b")) ?? "";
      const said = `${
        planner ? "maos: " : "failed: Do b — "
      }the model could not be reached: `;
      assert(line.includes(said), maos.output());
      if (planner) {
        assert(
          lines.length <= 2 &&
            lines.slice(1).every((l) => l.startsWith("hint: ")),
          maos.stderr,
        );
        assertEquals(
          fs.readdirSync(path.join(dir, ".maos", "orchestrations")),
          [],
        );
      }
    });
  });
}

Deno.test("real gemini: a model that never answers gets the stall notice with what it waits for, then the turn timeout", async () => {
  await withGeminiProject(
    [stall(120_000, say("Too late."))],
    async ({ box, dir }) => {
      await configure(dir, box.env, {
        stallWarnSeconds: 1,
        turnTimeoutSeconds: 8,
      });
      const maos = new MaosProcess(
        ["orchestrate", "Build it", "--plan", geminiPlan(dir, [["dev", "b"]])],
        { cwd: dir, env: box.env },
      );
      // The test's own bound: the turn limit is 8 s.
      assertEquals((await maos.exit(30_000)).code, 1, maos.output());
      assertIncludes(
        maos.stdout,
        "⏳ [dev] has printed nothing for 1 s — waiting for the model to answer",
      );
      assertIncludes(
        maos.stdout,
        "failed: Do b — timed out after 8 s (turnTimeoutSeconds) while waiting for the model to answer",
      );
    },
  );
});
