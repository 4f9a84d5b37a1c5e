/**
 * The Gemini CLI's failures as maos shows them: a refused key (401), an API
 * that keeps failing (500, bounded by maos), no key at all (exit 41), an
 * untrusted folder (exit 55, a fake CLI: maos's settings prevent it), and a
 * missing binary. Each is one clear line.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assert,
  assertEquals,
  assertIncludes,
  runMaos,
} from "./_engine_helpers.ts";
import { fail } from "../../standin/mod.ts";
import { statusOf } from "../agents/_maos_claude.ts";
import { geminiPlan, withGeminiProject } from "./_gemini.ts";

/** No stack trace in what a person sees. */
function assertNoStack(all: string): void {
  assert(!/\bat .*:\d+:\d+/.test(all), `stack trace:\n${all}`);
}

Deno.test("real gemini: a refused key (401) fails the task with one clear line, no retries", async () => {
  await withGeminiProject([], async ({ model, box, dir }) => {
    model.outage = fail(401);
    const run = await runMaos(
      ["orchestrate", "Build it", "--plan", geminiPlan(dir, [["dev", "b"]])],
      { cwd: dir, env: box.env },
    );
    assertEquals(run.code, 1, run.stdout + run.stderr);
    const all = run.stdout + run.stderr;
    assertIncludes(all, "the Gemini API refused the key (401)");
    assertNoStack(all);
    // The router's call and the turn's: each once, never again.
    assertEquals(model.requests.length, 2, JSON.stringify(model.requests));
  });
});

Deno.test("real gemini: an API that keeps failing (500) is given up after modelRetries + 1 attempts, not minutes; the task fails with the reason", async () => {
  await withGeminiProject([], async ({ model, box, dir }) => {
    model.outage = fail(500);
    // One retry bound for every CLI: modelRetries 0 is 1 attempt.
    assertEquals((await runMaos(["init"], { cwd: dir, env: box.env })).code, 0);
    const file = path.join(dir, ".maos", "maos.json");
    const config = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, JSON.stringify({ ...config, modelRetries: 0 }));
    const run = await runMaos(
      ["orchestrate", "Build it", "--plan", geminiPlan(dir, [["dev", "b"]])],
      { cwd: dir, env: box.env },
    );
    assertEquals(run.code, 1, run.stdout + run.stderr);
    const all = run.stdout + run.stderr;
    assertIncludes(
      all,
      "the model could not be reached: the Gemini API kept failing (500 Internal error encountered.); maos stopped the Gemini CLI after 1 attempt",
    );
    assertNoStack(all);
    assertEquals(model.requests.length, 1, JSON.stringify(model.requests));
    const [id] = fs.readdirSync(path.join(dir, ".maos", "orchestrations"));
    const status = await statusOf(dir, id, box.env);
    assertEquals(status.status, "failed");
  });
});

Deno.test("real gemini: no API key (exit 41) is one line naming what to set", async () => {
  await withGeminiProject([], async ({ model, box, dir }) => {
    const run = await runMaos(
      ["orchestrate", "Build it", "--plan", geminiPlan(dir, [["dev", "b"]])],
      { cwd: dir, env: { ...box.env, GEMINI_API_KEY: "" } },
    );
    assertEquals(run.code, 1, run.stdout + run.stderr);
    assertIncludes(
      run.stdout + run.stderr,
      "the Gemini CLI cannot authenticate (exit 41): When using Gemini API, you must specify the GEMINI_API_KEY environment variable.",
    );
    assertEquals(model.requests.length, 0);
  });
});

Deno.test("gemini driver: an untrusted folder (exit 55) is one line with the fix", async () => {
  await withGeminiProject([], async ({ box, dir }) => {
    // maos turns folder trust off in the agent's settings, so only a system
    // settings file can bring exit 55 back; a fake CLI plays it.
    const fake = path.join(box.root, "gemini-untrusted");
    fs.writeFileSync(
      fake,
      "#!/bin/sh\necho 'Gemini CLI is not running in a trusted directory. To proceed, either use `--skip-trust` …' >&2\nexit 55\n",
      { mode: 0o755 },
    );
    const run = await runMaos(
      ["orchestrate", "Build it", "--plan", geminiPlan(dir, [["dev", "b"]])],
      { cwd: dir, env: { ...box.env, MAOS_GEMINI_BIN: fake } },
    );
    assertEquals(run.code, 1, run.stdout + run.stderr);
    assertIncludes(
      run.stdout,
      "the Gemini CLI does not trust the agent's folder (exit 55)",
    );
  });
});

Deno.test("gemini driver: a missing binary is one clear line, exit 1, and no orchestration", async () => {
  const dir = await Deno.makeTempDir({ prefix: "maos-gemini-missing-" });
  try {
    const run = await runMaos(
      ["orchestrate", "Build it", "--plan", geminiPlan(dir, [["dev", "b"]])],
      { cwd: dir, env: { MAOS_GEMINI_BIN: "/nonexistent/gemini" } },
    );
    assertEquals(run.code, 1, run.stderr);
    assertEquals(
      run.stderr.split("\n")[0],
      "maos: Gemini CLI (`/nonexistent/gemini`) not found; install it (npm install -g @google/gemini-cli) or set MAOS_GEMINI_BIN",
    );
    assert(!fs.existsSync(path.join(dir, ".maos")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
