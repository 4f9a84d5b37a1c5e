/**
 * `merge --dry-run` said the merge would go through (exit 0) while the
 * merge itself was refused because the user's uncommitted changes touch a
 * file it brings. The dry run now reports that too, and exits 1 like the
 * merge would fail. Found by review 2.
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
import { gitInit } from "./_git_project.ts";

Deno.test("merge --dry-run with uncommitted changes in a file the merge brings: says the merge would be refused and exits 1, like the merge; nothing changes", async () => {
  await withProject(async (dir) => {
    fs.writeFileSync(path.join(dir, "util.js"), "export const a = 1;\n");
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }],
      tasks: [{
        id: "c",
        agent: "dev",
        title: "C",
        run: "echo 'export const b = 2;' >> util.js",
      }],
    });
    await gitInit(dir);
    await maosOk(["orchestrate", "C", "--plan", plan], { cwd: dir });
    const id8 = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0]
      .slice(0, 8);
    fs.appendFileSync(path.join(dir, "util.js"), "// mine\n");
    const head = await gitText(dir, ["rev-parse", "HEAD"]);

    const dry = await runMaos(["orchestration", "merge", id8, "--dry-run"], {
      cwd: dir,
    });
    const real = await runMaos(["orchestration", "merge", id8], { cwd: dir });
    assertEquals(real.code, 1, real.stdout + real.stderr);
    assertEquals(dry.code, 1, dry.stdout + dry.stderr);
    assertIncludes(dry.stdout + dry.stderr, "uncommitted changes");
    assertIncludes(dry.stdout + dry.stderr, "util.js");
    assertEquals(await gitText(dir, ["rev-parse", "HEAD"]), head);
    assertIncludes(
      fs.readFileSync(path.join(dir, "util.js"), "utf8"),
      "// mine",
    );
  });
});
