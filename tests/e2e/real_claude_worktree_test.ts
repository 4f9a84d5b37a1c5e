/**
 * The real Claude Code in a git repository: each agent in its own worktree
 * (under .maos/worktrees/) writes files there with its own tools, and
 * the work lands on its branch.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { gitText } from "../../lib/git/git.ts";
import { assertEquals, maosOk, writePlan } from "./_engine_helpers.ts";
import { say, write } from "../../standin/mod.ts";
import { withClaudeProject } from "../agents/_maos_claude.ts";
import { gitInit, showFile, worktreeOf } from "./_git_project.ts";

// Claude Code 2.1.197 treats every path with a `.git` segment as a
// sensitive file ("… which is a sensitive file") and -p denies the write: a
// worktree under .git/ (where maos first kept them) left claude agents
// unable to write at all.
Deno.test({
  name:
    "real claude: in a git repository the agent's Write lands in its worktree and on its branch",
}, async () => {
  await withClaudeProject([], async ({ model, box, dir }) => {
    const id = "0123456789ab";
    fs.writeFileSync(path.join(dir, "app.txt"), "old\n");
    const plan = writePlan(dir, {
      agents: [{ id: "developer-001", role: "developer", driver: "claude" }],
      tasks: [{ id: "code", agent: "developer-001", title: "Write the code" }],
    });
    await gitInit(dir);
    const worktree = worktreeOf(dir, id, "developer-001");
    model.script(
      write(path.join(worktree, "new.txt"), "written\n"),
      say("Done."),
    );
    const run = await maosOk(["orchestrate", "Code", "--plan", plan], {
      cwd: dir,
      env: { ...box.env, MAOS_NEW_ORCHESTRATION_ID: id },
    });
    const branch = `maos/${id.slice(0, 8)}/developer-001`;
    assertEquals(
      await showFile(dir, branch, "new.txt"),
      "written\n",
      run.stdout + run.stderr,
    );
    // The user's tree is untouched.
    assertEquals(fs.readFileSync(path.join(dir, "app.txt"), "utf8"), "old\n");
    assertEquals(await gitText(dir, ["status", "--porcelain", "app.txt"]), "");
  });
});
