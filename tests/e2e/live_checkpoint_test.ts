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
  orchestrationIds,
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

Deno.test("recover checkpoint of every unfinished orchestration, two of them running: each running process saves its files now and logs a checkpoint of its own, and the combined one holds those states", async () => {
  await withProject(async (dir) => {
    const { plan, go } = waitingPlan(dir, "echo step1 > work.txt");
    await gitInit(dir);
    const a = new MaosProcess(["orchestrate", "A", "--plan", plan], {
      cwd: dir,
    });
    const idA = await waitForOrchestration(dir, a);
    await waitUntil(
      () => fs.existsSync(path.join(worktreeOf(dir, idA, "dev"), "work.txt")),
      "A's half-done file",
    );
    waitingPlan(dir, "echo step2 > work.txt");
    const b = new MaosProcess(["orchestrate", "B", "--plan", plan], {
      cwd: dir,
    });
    let idB = "";
    await waitUntil(() => {
      idB = orchestrationIds(dir).find((i) => i !== idA) ?? "";
      return idB !== "" &&
        fs.existsSync(path.join(worktreeOf(dir, idB, "dev"), "work.txt"));
    }, "B's half-done file");

    const made = await maosOk([
      "--json",
      "recover",
      "checkpoint",
      "--name",
      "both",
    ], {
      cwd: dir,
    });
    const { id: cpId } = made.json<{ id: string }>();
    const file = JSON.parse(
      fs.readFileSync(
        path.join(dir, ".maos", "checkpoints", `${cpId}.json`),
        "utf8",
      ),
    ) as CheckpointFile;
    assertEquals(file.orchestrations.length, 2);
    for (const [id, text] of [[idA, "step1\n"], [idB, "step2\n"]]) {
      const entry = file.orchestrations.find((o) => o.id === id)!;
      const files = entry.state.agents[0].files;
      assertEquals(files !== undefined, true, `${id}'s files are in it`);
      assertEquals(await showFile(dir, files!.commit, "work.txt"), text);
      const logged = readEvents(dir, id).filter((e) =>
        e.type === "checkpoint.created"
      );
      assertEquals(
        logged.map((e) => e.type === "checkpoint.created" && e.name),
        [`both (${id.slice(0, 8)})`],
      );
    }
    fs.writeFileSync(go, "");
    assertEquals((await a.exit()).code, 0, a.output());
    assertEquals((await b.exit()).code, 0, b.output());
  });
});
