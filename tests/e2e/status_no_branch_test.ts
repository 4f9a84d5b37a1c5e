/**
 * `status` of an agent with no branch and no worktree said "branch and
 * worktree removed (saved files stay in refs/maos)" whatever the reason:
 * for an agent that never ran (its dependency failed) and in a plain
 * clone that has no maos refs, both false. Found by review 2.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { git } from "../../lib/git/git.ts";
import {
  assert,
  assertEquals,
  assertIncludes,
  maosOk,
  runMaos,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import { gitInit } from "./_git_project.ts";

interface AgentJson {
  id: string;
  branchRemoved?: boolean;
  notInClone?: boolean;
}

Deno.test("status of an agent that never ran says so; in a clone without maos's refs it says the branch is not in this clone, with the fetch hint", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "a", role: "worker" }, { id: "b", role: "worker" }],
      tasks: [
        { id: "ta", agent: "a", title: "A", run: "echo a > a.txt; exit 1" },
        { id: "tb", agent: "b", title: "B", dependsOn: ["ta"], run: "true" },
      ],
    });
    await gitInit(dir);
    const run = await runMaos(["orchestrate", "Dep", "--plan", plan], {
      cwd: dir,
    });
    assertEquals(run.code, 1, run.stdout + run.stderr);
    const id8 = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0]
      .slice(0, 8);
    const status = await maosOk(["orchestration", "status", id8], {
      cwd: dir,
    });
    const bLine = status.stdout.split("\n").find((l) =>
      l.includes(`maos/${id8}/b`)
    )!;
    assertIncludes(bLine, "not started");
    assert(!bLine.includes("removed"), bLine);

    await git(dir, ["add", "-A"]);
    await git(dir, ["commit", "-qm", "the team's .maos"]);
    const clone = path.join(dir, "runs", "clone");
    await git(dir, ["clone", "-q", dir, clone]);
    const there = await maosOk(["orchestration", "status", id8], {
      cwd: clone,
    });
    const aLine = there.stdout.split("\n").find((l) =>
      l.includes(`maos/${id8}/a`)
    )!;
    assertIncludes(aLine, "not in this clone");
    assert(!there.stdout.includes("saved files stay"), there.stdout);
    assertIncludes(there.stdout, "git fetch origin 'refs/maos/*:refs/maos/*'");
    const json = (await maosOk(["--json", "orchestration", "status", id8], {
      cwd: clone,
    })).json<{ agents: AgentJson[] }>();
    assertEquals(json.agents.find((a) => a.id === "a")?.notInClone, true);
  });
});
