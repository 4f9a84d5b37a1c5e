/**
 * The closing hint of a failed run points at `maos agent logs … --task T`.
 * When the agent printed nothing maos keeps (a shell command that exits at
 * once; an AI CLI that fails before its first line, e.g. Gemini's exit 41,
 * whose stderr is not the agent's output), that command must still say why
 * the task failed, not "has no saved output yet" of a run long over.
 * Found by review 2 (a gemini run without GEMINI_API_KEY).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assert,
  assertEquals,
  assertIncludes,
  runMaos,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";

Deno.test("agent logs of a failed task that printed nothing names the reason it failed, and says no 'yet' once the run is over", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }],
      tasks: [{ id: "t", agent: "dev", title: "Quiet", run: "exit 3" }],
    });
    const run = await runMaos(["orchestrate", "Quiet", "--plan", plan], {
      cwd: dir,
    });
    assertEquals(run.code, 1, run.stdout + run.stderr);
    const id8 = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0]
      .slice(0, 8);
    assertIncludes(run.stdout, `maos agent logs ${id8} dev --task t`);

    const logs = await runMaos(["agent", "logs", id8, "dev", "--task", "t"], {
      cwd: dir,
    });
    assertEquals(logs.code, 0, logs.stdout + logs.stderr);
    const said = logs.stdout + logs.stderr;
    assertIncludes(said, "has no saved output for task t");
    assert(!said.includes("yet"), said);
    assertIncludes(said, "t failed: exited with code 3");
    // --json stays the lines alone.
    const json = await runMaos(
      ["--json", "agent", "logs", id8, "dev", "--task", "t"],
      { cwd: dir },
    );
    assertEquals(JSON.parse(json.stdout), []);
  });
});
