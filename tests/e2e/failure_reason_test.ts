/**
 * Why a task failed, and what its agent printed (issue 16, item 2):
 * `status` names each failed task's reason, `--json` has `tasks[].result`,
 * the closing hint points at those, and `maos agent logs` reads the saved
 * output (`--task`, `--tail`, `--follow`, `--json`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { OrchestrationStatus } from "../../lib/queries/queries.ts";
import {
  assert,
  assertEquals,
  assertIncludes,
  maosOk,
  MaosProcess,
  runMaos,
  waitUntil,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import { gitInit, waitingPlan } from "./_git_project.ts";

function onlyId(dir: string): string {
  return fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0];
}

Deno.test("a failed task's reason is in status and --json, the closing hint points at it, and agent logs prints what the agent said", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }, { id: "qa", role: "tester" }],
      tasks: [
        {
          id: "build",
          agent: "dev",
          title: "Build",
          run:
            "echo one; echo two; echo three; echo 'foo.c:3: missing ;' >&2; exit 2",
        },
        {
          id: "test",
          agent: "qa",
          title: "Test",
          run: "echo t",
          dependsOn: ["build"],
        },
      ],
    });
    await gitInit(dir);
    const run = await runMaos(["orchestrate", "Build", "--plan", plan], {
      cwd: dir,
    });
    assertEquals(run.code, 1, run.stdout + run.stderr);
    const id8 = onlyId(dir).slice(0, 8);
    assertIncludes(run.stdout, `See why: maos orchestration status ${id8}`);
    assertIncludes(
      run.stdout,
      `maos agent logs ${id8} dev --task build --tail 20`,
    );
    assert(!run.stdout.includes("--messages"), run.stdout);

    const text = await runMaos(["orchestration", "status", id8], { cwd: dir });
    assertIncludes(text.stdout, "why: exited with code 2: foo.c:3: missing ;");
    assertIncludes(
      text.stdout,
      `(output: maos agent logs ${id8} dev --task build)`,
    );
    assertIncludes(text.stdout, "why: not run: dependency 'build' failed");

    const status =
      (await maosOk(["--json", "orchestration", "status", id8], { cwd: dir }))
        .json<OrchestrationStatus>();
    assertEquals(status.tasks.find((t) => t.id === "build")!.result, {
      status: "failed",
      summary: "exited with code 2: foo.c:3: missing ;",
    });

    // stdout and stderr come on two pipes: their lines may interleave either way.
    const logs = await maosOk(["agent", "logs", id8, "dev"], { cwd: dir });
    assertEquals(
      logs.stdout.trim().split("\n").map((l) => l.replace(/^\S+ /, "")).sort(),
      ["build  foo.c:3: missing ;", "build  one", "build  three", "build  two"],
    );
    const json =
      (await maosOk(["--json", "agent", "logs", id8, "dev"], { cwd: dir }))
        .json<{ task: string; line: string }[]>();
    const stdout = json.map((l) => l.line).filter((l) => !l.startsWith("foo"));
    assertEquals(stdout, ["one", "two", "three"]);
    const tail = await maosOk(
      ["agent", "logs", id8, "dev", "--tail", "1", "--task", "build"],
      { cwd: dir },
    );
    assertEquals(tail.stdout.trim().split("\n").length, 1);
    assertIncludes(tail.stdout, json.at(-1)!.line);

    const unknown = await runMaos(["agent", "logs", id8, "nobody"], {
      cwd: dir,
    });
    assertEquals(unknown.code, 2);
    assertIncludes(unknown.stderr, "has no agent 'nobody'");
    assertIncludes(unknown.stderr, "its agents: dev, qa");
    const badTask = await runMaos([
      "agent",
      "logs",
      id8,
      "dev",
      "--task",
      "nope",
    ], { cwd: dir });
    assertEquals(badTask.code, 2);
    assertIncludes(badTask.stderr, "its tasks: build");
  });
});

Deno.test("agent logs --follow prints lines as the agent writes them and ends when the orchestration does", async () => {
  await withProject(async (dir) => {
    const { plan, go } = waitingPlan(dir, "echo first", "echo second");
    await gitInit(dir);
    const run = new MaosProcess(["orchestrate", "Slow", "--plan", plan], {
      cwd: dir,
    });
    let id = "";
    await waitUntil(() => {
      try {
        id = onlyId(dir);
        return fs.readFileSync(
          path.join(dir, ".maos", "orchestrations", id, "agents", "dev.jsonl"),
          "utf8",
        ).includes("first");
      } catch {
        return false;
      }
    }, "the agent's first line");
    const follow = new MaosProcess([
      "agent",
      "logs",
      id.slice(0, 8),
      "dev",
      "--follow",
    ], {
      cwd: dir,
    });
    await waitUntil(
      () => follow.stdout.includes("first"),
      "follow prints the first line",
    );
    assert(!follow.stdout.includes("second"));
    fs.writeFileSync(go, "");
    assertEquals((await run.exit()).code, 0, run.output());
    assertEquals((await follow.exit()).code, 0, follow.output());
    assertIncludes(follow.stdout, "second");
    assertIncludes(follow.stderr + follow.stdout, "is not running");
  });
});
