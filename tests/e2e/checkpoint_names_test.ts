/**
 * Checkpoint names find checkpoints like id prefixes do (exact name, or a
 * unique beginning of one), and automatic names never repeat (issue 16).
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

Deno.test("auto-checkpoints of tasks that complete in the same second get distinct names; recover info and restore accept a name or its unique beginning", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [
        { id: "a", role: "worker" },
        { id: "b", role: "worker" },
        { id: "c", role: "worker" },
      ],
      tasks: ["a", "b", "c"].map((x) => ({
        id: x,
        agent: x,
        title: x,
        run: "true",
      })),
    });
    await maosOk([
      "orchestrate",
      "Same second",
      "--plan",
      plan,
      "--isolation",
      "shared",
    ], {
      cwd: dir,
    });
    const list = (await maosOk(["--json", "recover", "list"], { cwd: dir }))
      .json<{ id: string; name: string }[]>();
    assertEquals(list.length, 3);
    assertEquals(
      new Set(list.map((c) => c.name)).size,
      3,
      JSON.stringify(list),
    );

    const id8 = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0]
      .slice(0, 8);
    const made = await maosOk(
      ["recover", "checkpoint", "--orchestration", id8, "--name", "mid-edit"],
      { cwd: dir },
    );
    assertIncludes(made.stdout, '"mid-edit"');
    const byName = await maosOk(["recover", "info", "mid-edit"], { cwd: dir });
    assertIncludes(byName.stdout, '"mid-edit"');
    const byStart = await maosOk(["recover", "info", "mid"], { cwd: dir });
    assertIncludes(byStart.stdout, '"mid-edit"');
    const ambiguous = await runMaos(["recover", "info", "auto-"], { cwd: dir });
    assertEquals(ambiguous.code, 2);
    assertIncludes(ambiguous.stderr, "checkpoint name 'auto-' is ambiguous");
    const missing = await runMaos(["recover", "info", "no-such"], { cwd: dir });
    assertEquals(missing.code, 2);
    assertIncludes(missing.stderr, "not found");
    await maosOk(["recover", "restore", "mid-edit", "--dry-run"], { cwd: dir });
  });
});
