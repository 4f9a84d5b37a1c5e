/**
 * What a new user does with `deno task standin`: the environment and Codex
 * config the script writes, and its built-in model (no script), drive the
 * real Claude Code, Codex and Gemini CLI through `maos orchestrate --driver …`
 * with no plan file — the CLI plans, two agents work, messages go through
 * the MCP tool (claude, gemini) or `maos message send` (codex) and
 * `::maos::` lines.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assert,
  assertEquals,
  assertIncludes,
  maosOk,
  orchestrationIds,
  readEvents,
} from "./_engine_helpers.ts";
import { ModelStandin } from "../../standin/server.ts";
import { autoModel } from "../../standin/auto_model.ts";
import { CLAUDE_BIN, CODEX_BIN, GEMINI_BIN } from "../agents/_real_cli.ts";
import { statusOf } from "../agents/_maos_claude.ts";
import { prepareDirs, standinEnv } from "../../scripts/standin.ts";

const SCRIPT = new URL("../../scripts/standin.ts", import.meta.url).pathname;

/** A stand-in with the built-in model, the script's dirs and env, and a project dir. */
async function withAutoStandin(
  fn: (
    ctx: { model: ModelStandin; env: Record<string, string>; dir: string },
  ) => Promise<void>,
): Promise<void> {
  await using model = await ModelStandin.start([], autoModel());
  const root = await Deno.makeTempDir({ prefix: "maos-standin-auto-" });
  try {
    const dir = path.join(root, "project");
    fs.mkdirSync(dir);
    const bins = { claude: CLAUDE_BIN, codex: CODEX_BIN, gemini: GEMINI_BIN };
    const dirs = prepareDirs(
      path.join(root, "standin"),
      (d) => standinEnv(model.url, d, bins),
      model.url,
    );
    const env = {
      ...standinEnv(model.url, dirs, bins),
      // Set when the tests run inside Claude Code: a nested claude would
      // take its auth or refuse to start.
      ANTHROPIC_AUTH_TOKEN: "",
      CLAUDECODE: "",
      // The Gemini CLI writes an error report there on an API error.
      TMPDIR: root,
    };
    await fn({ model, env, dir });
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

async function messagesOf(
  dir: string,
  id: string,
  env: Record<string, string>,
): Promise<string[]> {
  const list = (await maosOk(["--json", "message", "list", id], {
    cwd: dir,
    env,
  })).json<{ from: string; type: string; content: string }[]>();
  return list.map((m) => `${m.from} ${m.type}: ${m.content}`).sort();
}

const PLANNERS = { claude: "Claude", codex: "Codex", gemini: "Gemini" };

for (const driver of ["claude", "codex", "gemini"] as const) {
  Deno.test(`standin's built-in model: maos orchestrate --driver ${driver} with no plan runs to completion with the real ${driver}`, async () => {
    await withAutoStandin(async ({ model, env, dir }) => {
      const run = await maosOk(
        ["orchestrate", "Add a health check", "--driver", driver],
        { cwd: dir, env },
      );
      assertIncludes(
        run.stdout + run.stderr,
        `Asking ${PLANNERS[driver]} for a plan`,
      );
      const [id] = orchestrationIds(dir);
      const done = await statusOf(dir, id, env);
      assertEquals(done.status, "completed", run.stdout + run.stderr);
      assertEquals(
        done.tasks.map((t) => [t.id, t.agent, t.status]),
        [
          ["analyse", "analyst-001", "completed"],
          ["implement", "developer-001", "completed"],
        ],
      );
      // The developer's prompt carried the analyst's two messages.
      const summary = readEvents(dir, id).find((e) =>
        e.type === "task.status" && e.task === "implement" &&
        e.status === "completed"
      );
      assertIncludes(
        JSON.stringify(summary),
        "with 2 message(s) from the team",
      );
      const via = driver === "codex" ? "maos message send" : "MCP send_message";
      assertEquals(await messagesOf(dir, id, env), [
        "analyst-001 discovery: analyst-001 checked analyse: nothing blocks the next step",
        "analyst-001 info: analyst-001 is halfway through analyse",
        "developer-001 discovery: developer-001 checked implement: nothing blocks the next step",
        "developer-001 info: developer-001 is halfway through implement",
      ], via);
      // A plan, then two turns per task; tokens were counted.
      assertEquals(model.turns().length, 5);
      assert(done.agents.every((a) => a.inputTokens > 0));
      // The Gemini planner's temporary home (in TMPDIR) is gone.
      assertEquals(
        fs.readdirSync(env.TMPDIR).filter((f) => f.startsWith("maos-gemini-")),
        [],
      );
    });
  });
}

Deno.test("deno task standin: prints the exports, writes env.sh and Codex's config.toml, and stops on SIGINT", async () => {
  const root = await Deno.makeTempDir({ prefix: "maos-standin-script-" });
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", SCRIPT, "--dir", root, "--quiet"],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    let out = "";
    while (!out.includes("Ctrl-C here stops")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    const url = /Model stand-in on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    assert(url, out);
    assertIncludes(out, `export ANTHROPIC_BASE_URL=${url}`);
    assertIncludes(out, `export GOOGLE_GEMINI_BASE_URL=${url}`);
    assertIncludes(out, `. ${path.join(root, "env.sh")}`);
    const envFile = fs.readFileSync(path.join(root, "env.sh"), "utf8");
    assertIncludes(envFile, `export CODEX_HOME=${path.join(root, "codex")}`);
    assertIncludes(
      fs.readFileSync(path.join(root, "codex", "config.toml"), "utf8"),
      `base_url = "${url}/v1"`,
    );
    // It answers (Claude Code's first request is HEAD /).
    assertEquals((await fetch(url, { method: "HEAD" })).status, 200);
    child.kill("SIGINT");
    await reader.cancel();
    const status = await child.status;
    assertEquals(status.code, 0);
    await child.stderr.cancel();
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
});
