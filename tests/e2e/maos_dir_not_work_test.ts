/**
 * What an agent does to the project's `.maos/` is never its work (DESIGN
 * §4b): `status`, `merge` and `remove` do not count it as changed,
 * unmerged or uncommitted. And `merge --agent` of an agent whose branch
 * is gone says so instead of "already in main". Found by review 2, trying
 * maos as a new user on a project with `.maos/` committed.
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
import { gitInit, orchestrationIds, showFile } from "./_git_project.ts";

interface AgentJson {
  id: string;
  changedFiles: string[];
  unmergedFiles: string[];
  uncommittedFiles: string[];
}

Deno.test("agents that write .maos/ in their worktree or git rm it on their branch: status, merge and remove never count that as their work", async () => {
  await withProject(async (dir) => {
    const one = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }],
      tasks: [{ id: "t", agent: "dev", title: "First", run: "echo 1 > one" }],
    });
    await gitInit(dir);
    await maosOk(["orchestrate", "First", "--plan", one], { cwd: dir });
    const [first] = orchestrationIds(dir);
    await maosOk(["orchestration", "merge", first.slice(0, 8)], { cwd: dir });
    await git(dir, ["add", "-A", ".maos"]);
    await git(dir, ["commit", "-q", "-m", "maos: first orchestration"]);

    const log = `.maos/orchestrations/${first}/events.jsonl`;
    const plan = writePlan(dir, {
      agents: [{ id: "scribbler", role: "developer" }, {
        id: "sneaky",
        role: "developer",
      }],
      tasks: [{
        id: "a",
        agent: "scribbler",
        title: "Scribble",
        run: `mkdir -p .maos/orchestrations/${first} && echo junk > ${log}` +
          ` && echo w > work.txt`,
      }, {
        id: "b",
        agent: "sneaky",
        title: "Sneak",
        run: `git rm -r -q --sparse .maos/orchestrations/${first}` +
          ` && git -c user.name=a -c user.email=a@b commit -q -m sneak`,
      }],
    });
    await git(dir, ["add", "-A"]);
    await git(dir, ["commit", "-q", "-m", "plan"]);
    await maosOk(["orchestrate", "Scribble", "--plan", plan], { cwd: dir });
    const second = orchestrationIds(dir).find((i) => i !== first)!;
    const id8 = second.slice(0, 8);

    const merged = await maosOk(["orchestration", "merge", id8], { cwd: dir });
    assertIncludes(merged.stdout, "work.txt");
    // The junk an agent wrote under .maos/ is not "uncommitted work" to finish.
    assert(!merged.stderr.includes("uncommitted"), merged.stderr);
    assertEquals(await showFile(dir, "HEAD", log) !== null, true);

    const status = JSON.parse(
      (await maosOk(["--json", "orchestration", "status", id8], { cwd: dir }))
        .stdout,
    ) as { agents: AgentJson[] };
    for (const agent of status.agents) {
      for (
        const f of [
          ...agent.changedFiles,
          ...agent.unmergedFiles,
          ...agent.uncommittedFiles,
        ]
      ) {
        assert(!f.startsWith(".maos/"), `${agent.id}: ${f}`);
      }
    }
    const text = await maosOk(["orchestration", "status", id8], { cwd: dir });
    assert(!text.stdout.includes("not merged"), text.stdout);

    // Everything that can be merged is: the removal goes through without --force.
    const dry = await runMaos(
      ["orchestration", "remove", id8, "--dry-run"],
      { cwd: dir },
    );
    assertEquals(dry.code, 0, dry.stdout + dry.stderr);
    await maosOk(["orchestration", "remove", id8], { cwd: dir });
    assert(fs.existsSync(path.join(dir, log)));
    assertEquals(
      fs.readFileSync(path.join(dir, log), "utf8").includes("junk"),
      false,
    );
  });
});

Deno.test("merge --agent of a discarded agent says its work was discarded and where it is kept, not that it is already merged", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }, {
        id: "writer",
        role: "writer",
      }],
      tasks: [
        { id: "c", agent: "dev", title: "Code", run: "echo c > code.txt" },
        { id: "d", agent: "writer", title: "Docs", run: "echo d > doc.txt" },
      ],
    });
    await gitInit(dir);
    await maosOk(["orchestrate", "Two", "--plan", plan], { cwd: dir });
    const [id] = orchestrationIds(dir);
    const id8 = id.slice(0, 8);
    await maosOk(["orchestration", "discard", id8, "--agent", "writer"], {
      cwd: dir,
    });
    const merge = await runMaos(
      ["orchestration", "merge", id8, "--agent", "writer"],
      { cwd: dir },
    );
    assertEquals(merge.code, 2, merge.stdout + merge.stderr);
    assert(!merge.stdout.includes("already in"), merge.stdout);
    assertIncludes(merge.stderr, "discarded");
    assertIncludes(merge.stderr, `refs/maos/${id}/writer.discarded`);
    assertEquals(await showFile(dir, "HEAD", "doc.txt"), null);
    // The others still merge, and the merge says whose work it left out.
    const all = await maosOk(["orchestration", "merge", id8], { cwd: dir });
    assertIncludes(all.stdout, "code.txt");
    assertIncludes(
      all.stdout,
      `writer: not merged, its work was discarded (kept in refs/maos/${id}/writer.discarded)`,
    );
    const again = await maosOk(["orchestration", "merge", id8], { cwd: dir });
    assertIncludes(again.stdout, "Nothing to merge: the rest of the work");
    assertIncludes(again.stdout, "writer: not merged");
  });
});
