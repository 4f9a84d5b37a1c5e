/**
 * `remove --force` and `recover cleanup --force` save what they would lose
 * to `refs/maos/<id>/<agent>.forced` first; `remove --dry-run` lists what
 * it would keep and why (exit 1) instead of failing (issue 16, item 5).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { gitText } from "../../lib/git/git.ts";
import {
  assertEquals,
  assertIncludes,
  maosOk,
  runMaos,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import { gitInit, showFile, worktreeOf } from "./_git_project.ts";

async function ranOne(dir: string): Promise<string> {
  const plan = writePlan(dir, {
    agents: [{ id: "dev", role: "developer" }],
    tasks: [{ id: "a", agent: "dev", title: "A", run: "echo a > a.txt" }],
  });
  await gitInit(dir);
  await maosOk(["orchestrate", "A", "--plan", plan], { cwd: dir });
  const id = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0];
  // Uncommitted work in the agent's worktree, not on its branch nor in any save.
  fs.writeFileSync(path.join(worktreeOf(dir, id, "dev"), "wip.txt"), "half\n");
  return id;
}

Deno.test("remove --dry-run lists what it would keep and why (exit 1, nothing changed); remove --force saves the unmerged and uncommitted work to a ref first", async () => {
  await withProject(async (dir) => {
    const id = await ranOne(dir);
    const id8 = id.slice(0, 8);
    const dry = await runMaos(["orchestration", "remove", id8, "--dry-run"], {
      cwd: dir,
    });
    assertEquals(dry.code, 1, dry.stdout + dry.stderr);
    assertIncludes(dry.stdout, "would be refused");
    assertIncludes(dry.stdout, "uncommitted: wip.txt");
    assertIncludes(dry.stdout, "not merged into main: a.txt");
    assertEquals(fs.existsSync(worktreeOf(dir, id, "dev")), true);

    const forced = await maosOk(["orchestration", "remove", id8, "--force"], {
      cwd: dir,
    });
    const ref = `refs/maos/${id}/dev.forced`;
    assertIncludes(forced.stdout, `its work saved first to ${ref}`);
    assertEquals(fs.existsSync(worktreeOf(dir, id, "dev")), false);
    assertEquals(await showFile(dir, ref, "wip.txt"), "half\n");
    assertEquals(await showFile(dir, ref, "a.txt"), "a\n");
    // The README's way back: a branch from the ref.
    await gitText(dir, ["branch", "rescued", ref]);
    assertEquals(await showFile(dir, "rescued", "wip.txt"), "half\n");
  });
});

Deno.test("recover cleanup --force saves an unmerged agent's work to a ref before removing its worktree and branch", async () => {
  await withProject(async (dir) => {
    const id = await ranOne(dir);
    const run = await maosOk(["recover", "cleanup", "--force"], { cwd: dir });
    const ref = `refs/maos/${id}/dev.forced`;
    assertIncludes(run.stdout, `its work saved first to ${ref}`);
    assertEquals(fs.existsSync(worktreeOf(dir, id, "dev")), false);
    assertEquals(await showFile(dir, ref, "wip.txt"), "half\n");
  });
});
