/**
 * A fork keeps the status its checkpoint had: a completed checkpoint forks
 * into a completed orchestration, not a paused one with every task done
 * (issue 16, item 5).
 */
import {
  assertEquals,
  assertIncludes,
  maosOk,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import { gitInit } from "./_git_project.ts";

Deno.test("recover restore --fork of a completed orchestration's checkpoint makes a completed orchestration, and says how to give it more", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }],
      tasks: [{ id: "a", agent: "dev", title: "A", run: "echo a > a.txt" }],
    });
    await gitInit(dir);
    await maosOk(["orchestrate", "Done", "--plan", plan], { cwd: dir });
    const [original] =
      (await maosOk(["--json", "orchestration", "list"], { cwd: dir }))
        .json<{ id: string }[]>();
    await maosOk(
      [
        "recover",
        "checkpoint",
        "--orchestration",
        original.id,
        "--name",
        "done",
      ],
      { cwd: dir },
    );
    const fork = await maosOk(["recover", "restore", "done", "--fork"], {
      cwd: dir,
    });
    assertIncludes(fork.stderr + fork.stdout, "--task");
    const list =
      (await maosOk(["--json", "orchestration", "list"], { cwd: dir }))
        .json<{ id: string; status: string }[]>();
    assertEquals(list.length, 2);
    assertEquals(list.map((o) => o.status), ["completed", "completed"]);
  });
});
