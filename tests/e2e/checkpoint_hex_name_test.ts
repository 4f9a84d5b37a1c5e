/**
 * A checkpoint name that reads as a checkpoint id (4 to 12 hex characters)
 * could never be found by its name: `recover restore 5e5f` took the
 * checkpoint whose id starts with 5e5f instead, in silence. Such a name
 * is refused when the checkpoint is made. Found by review 2 naming a
 * checkpoint after another one's id.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assertEquals,
  assertIncludes,
  maosOk,
  runMaos,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";

Deno.test("a checkpoint name of 4-12 hex characters (it would read as an id) is refused with exit 2, and nothing is saved", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "a", role: "worker" }],
      tasks: [{ id: "t", agent: "a", title: "T", run: "true" }],
    });
    await maosOk(
      ["orchestrate", "One", "--plan", plan, "--isolation", "shared"],
      { cwd: dir },
    );
    const id8 = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0]
      .slice(0, 8);
    const before = (await maosOk(["--json", "recover", "list"], { cwd: dir }))
      .json<{ id: string }[]>();
    const other = before[0].id.slice(0, 8);
    for (const name of [other, "beef", "0123456789ab"]) {
      const run = await runMaos(
        ["recover", "checkpoint", "--orchestration", id8, "--name", name],
        { cwd: dir },
      );
      assertEquals(run.code, 2, run.stdout + run.stderr);
      assertIncludes(run.stderr, "would read as a checkpoint id");
    }
    const after = (await maosOk(["--json", "recover", "list"], { cwd: dir }))
      .json<{ id: string }[]>();
    assertEquals(after.length, before.length);
    // A name that only starts with hex, or is longer, is fine.
    await maosOk(
      ["recover", "checkpoint", "--orchestration", id8, "--name", "beef-up"],
      { cwd: dir },
    );
    const info = await maosOk(["recover", "info", "beef-up"], { cwd: dir });
    assertIncludes(info.stdout, '"beef-up"');
  });
});
