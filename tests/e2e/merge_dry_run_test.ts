/**
 * `merge --dry-run` reports what would conflict instead of failing, with
 * documented exit codes: 0 it would merge cleanly, 1 it would conflict
 * (issue 16, item 5).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { gitText } from "../../lib/git/git.ts";
import type { MergeBackResult } from "../../lib/workspace/merge_back.ts";
import {
  assertEquals,
  assertIncludes,
  maosOk,
  runMaos,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import { gitInit, userStatus } from "./_git_project.ts";

Deno.test("merge --dry-run of branches that conflict lists the conflicting files and exits 1; one agent alone would merge (exit 0); nothing changes", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "dev-a", role: "developer" }, {
        id: "dev-b",
        role: "developer",
      }],
      tasks: [
        { id: "a", agent: "dev-a", title: "A", run: "echo a > same.txt" },
        { id: "b", agent: "dev-b", title: "B", run: "echo b > same.txt" },
      ],
    });
    fs.writeFileSync(path.join(dir, ".gitignore"), ".maos/\n");
    const base = await gitInit(dir);
    await maosOk(["orchestrate", "Same file", "--plan", plan], { cwd: dir });
    const id8 = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0]
      .slice(0, 8);

    const dry = await runMaos(["orchestration", "merge", id8, "--dry-run"], {
      cwd: dir,
    });
    assertEquals(dry.code, 1, dry.stdout + dry.stderr);
    assertIncludes(dry.stdout, "Dry run: nothing was changed");
    assertIncludes(dry.stdout, `maos/${id8}/dev-b  same.txt`);
    assertIncludes(dry.stdout, "would conflict in same.txt");
    const json = await runMaos([
      "--json",
      "orchestration",
      "merge",
      id8,
      "--dry-run",
    ], {
      cwd: dir,
    });
    assertEquals(json.code, 1);
    const result = JSON.parse(json.stdout) as MergeBackResult;
    assertEquals(result.branches.map((b) => b.status), [
      "would merge",
      "would conflict",
    ]);
    assertEquals(result.branches[1].conflicts, ["same.txt"]);

    const one = await runMaos([
      "orchestration",
      "merge",
      id8,
      "--dry-run",
      "--agent",
      "dev-b",
    ], {
      cwd: dir,
    });
    assertEquals(one.code, 0, one.stdout + one.stderr);
    assertEquals(await gitText(dir, ["rev-parse", "HEAD"]), base);
    assertEquals(await userStatus(dir), "");
  });
});
