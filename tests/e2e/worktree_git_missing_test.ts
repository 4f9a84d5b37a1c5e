/**
 * A git repository on a machine where git is not on PATH: maos must not
 * quietly let the agents edit the user's working tree (real program, real
 * repository made while git is still found).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assert,
  assertEquals,
  assertIncludes,
  maosOk,
  runMaos,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import { gitInit, readFile } from "./_git_project.ts";

/** A PATH with a shell and nothing else (no git). */
function pathWithoutGit(dir: string): string {
  const bin = path.join(dir, "runs", "bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.symlinkSync("/bin/sh", path.join(bin, "sh"));
  return bin;
}

Deno.test("in a git repository without git on PATH, orchestrate refuses in one line instead of letting the agents edit the user's tree; --isolation shared still runs", async () => {
  await withProject(async (dir) => {
    fs.writeFileSync(path.join(dir, "app.txt"), "mine\n");
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }],
      tasks: [{
        id: "edit",
        agent: "dev",
        title: "Edit",
        run: "echo agent >> app.txt",
      }],
    });
    await gitInit(dir);
    const env = { PATH: pathWithoutGit(dir) };
    const run = await runMaos(["orchestrate", "Edit", "--plan", plan], {
      cwd: dir,
      env,
    });
    assertEquals(run.code, 1, run.stdout + run.stderr);
    assertIncludes(run.stderr, "git is not installed (or not on PATH)");
    assertIncludes(run.stderr, "--isolation shared");
    assertEquals(run.stderr.trim().split("\n").length, 2, run.stderr);
    assertEquals(readFile(path.join(dir, "app.txt")), "mine\n");
    assert(!fs.existsSync(path.join(dir, ".maos")), "no .maos/ made");
    // Asked for explicitly, sharing the directory works without git.
    await maosOk(
      ["orchestrate", "Edit", "--plan", plan, "--isolation", "shared"],
      { cwd: dir, env },
    );
    assertEquals(readFile(path.join(dir, "app.txt")), "mine\nagent\n");
  });
});
