/**
 * `maos orchestration checkpoint` of an orchestration another process
 * runs: the checkpoint holds the agent's files as they are now (not the
 * last interval save) and the running process logs it (issue 16, item 5).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assertEquals,
  assertIncludes,
  maosOk,
  MaosProcess,
  readEvents,
  waitForOrchestration,
  waitUntil,
  withProject,
} from "./_engine_helpers.ts";
import { gitInit, showFile, waitingPlan, worktreeOf } from "./_git_project.ts";
import type { CheckpointFile } from "../../store/schema.ts";

Deno.test("a checkpoint of a running orchestration captures the agent's half-done file now and appears in its log", async () => {
  await withProject(async (dir) => {
    const { plan, go } = waitingPlan(dir, "echo step1 > work.txt");
    await gitInit(dir);
    const run = new MaosProcess(["orchestrate", "Live", "--plan", plan], {
      cwd: dir,
    });
    const id = await waitForOrchestration(dir, run);
    await waitUntil(
      () => fs.existsSync(path.join(worktreeOf(dir, id, "dev"), "work.txt")),
      "the agent's half-done file",
    );

    const made = await maosOk(
      [
        "--json",
        "orchestration",
        "checkpoint",
        id.slice(0, 8),
        "--name",
        "live-one",
      ],
      { cwd: dir },
    );
    const { id: cpId } = made.json<{ id: string }>();
    const file = JSON.parse(
      fs.readFileSync(
        path.join(dir, ".maos", "checkpoints", `${cpId}.json`),
        "utf8",
      ),
    ) as CheckpointFile;
    const files = file.orchestrations[0].state.agents[0].files;
    assertEquals(
      files !== undefined,
      true,
      "the checkpoint names the agent's files",
    );
    assertEquals(await showFile(dir, files!.commit, "work.txt"), "step1\n");
    const logged = readEvents(dir, id).filter((e) =>
      e.type === "checkpoint.created"
    );
    assertEquals(logged.map((e) => e.type === "checkpoint.created" && e.name), [
      "live-one",
    ]);

    fs.writeFileSync(go, "");
    const end = await run.exit();
    assertEquals(end.code, 0, run.output());
    assertIncludes(run.stdout, "live-one");
  });
});
