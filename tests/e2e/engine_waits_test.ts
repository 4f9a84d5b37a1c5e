/**
 * Bounded waits are the engine's, so every driver gets them: a shell task
 * that prints nothing is said once, stopped at turnTimeoutSeconds (the task
 * fails with that reason), and runs again on resume.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assertEquals,
  assertIncludes,
  maosOk,
  MaosProcess,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";

Deno.test("a silent shell task gets the stall notice once, then fails at the turn timeout, and resume runs it again", async () => {
  await withProject(async (dir) => {
    await maosOk(["init"], { cwd: dir });
    const file = path.join(dir, ".maos", "maos.json");
    const config = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(
      file,
      JSON.stringify({
        ...config,
        stallWarnSeconds: 0.5,
        turnTimeoutSeconds: 2,
      }),
    );
    const plan = writePlan(dir, {
      agents: [{ id: "worker-001", role: "worker", driver: "shell" }],
      tasks: [{
        id: "slow",
        agent: "worker-001",
        title: "Slow the first time",
        // exec: the shell's SIGINT reaches sleep (no child left behind).
        run:
          "if [ -f runs/once ]; then echo done; else touch runs/once; exec sleep 60; fi",
      }],
    });
    const maos = new MaosProcess(
      ["orchestrate", "Be slow", "--plan", plan],
      { cwd: dir },
    );
    assertEquals((await maos.exit(30_000)).code, 1, maos.output());
    const notice = "⏳ [worker-001] has printed nothing for";
    assertEquals(maos.stdout.split(notice).length, 2, maos.output());
    assertIncludes(
      maos.stdout,
      "failed: Slow the first time — timed out after 2 s (turnTimeoutSeconds)",
    );
    const [id] = fs.readdirSync(path.join(dir, ".maos", "orchestrations"));
    assertIncludes(
      maos.stdout,
      `⏱️ A turn ran out of time. Run the failed tasks again with: maos orchestration resume ${
        id.slice(0, 8)
      }`,
    );
    const resumed = await maosOk(["orchestration", "resume", id], {
      cwd: dir,
    });
    assertIncludes(resumed.stdout, "✅ Orchestration completed");
  });
});
