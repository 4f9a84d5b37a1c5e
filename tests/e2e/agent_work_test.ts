/**
 * Per-agent control of the agents' work (issue 16, item 3): `diff` (all,
 * one, --stat, --json), `merge --agent`, `discard --agent` (a ref keeps
 * the work), and each agent's worktree in `status`, on a real repository.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { gitText } from "../../lib/git/git.ts";
import type { OrchestrationStatus } from "../../lib/queries/queries.ts";
import type { AgentChanges } from "../../lib/workspace/agent_changes.ts";
import {
  assert,
  assertEquals,
  assertIncludes,
  maosOk,
  runMaos,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import { gitInit, readFile, showFile, worktreeOf } from "./_git_project.ts";

Deno.test("diff shows each agent's changes (uncommitted ones too), merge --agent takes one branch, discard --agent removes another and a ref keeps all of it", async () => {
  await withProject(async (dir) => {
    fs.writeFileSync(path.join(dir, "app.txt"), "base\n");
    const plan = writePlan(dir, {
      agents: [
        { id: "dev", role: "developer" },
        { id: "docs", role: "writer" },
        { id: "qa", role: "tester" },
      ],
      tasks: [
        {
          id: "code",
          agent: "dev",
          title: "Code",
          run: "echo feature >> app.txt",
        },
        {
          id: "write",
          agent: "docs",
          title: "Docs",
          run: "printf 'a\\nb\\n' > DOCS.md",
        },
        {
          id: "check",
          agent: "qa",
          title: "Check",
          run: "echo checked > QA.md",
        },
      ],
    });
    const base = await gitInit(dir);
    await maosOk(["orchestrate", "Three", "--plan", plan], { cwd: dir });
    const id = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0];
    const id8 = id.slice(0, 8);
    // A person's (or an interrupted agent's) edit, not committed on qa's branch.
    fs.writeFileSync(path.join(worktreeOf(dir, id, "qa"), "wip.txt"), "half\n");

    const stat = await maosOk(["orchestration", "diff", id8, "--stat"], {
      cwd: dir,
    });
    assertIncludes(stat.stdout, `── dev (maos/${id8}/dev)`);
    assertIncludes(stat.stdout, "app.txt | 1 +");
    assertIncludes(stat.stdout, `── qa (maos/${id8}/qa, 1 uncommitted)`);
    assertIncludes(stat.stdout, "wip.txt");
    const one = await maosOk(["orchestration", "diff", id8, "--agent", "dev"], {
      cwd: dir,
    });
    assertIncludes(one.stdout, "+feature");
    assert(!one.stdout.includes("DOCS.md"), one.stdout);
    const json =
      (await maosOk(["--json", "orchestration", "diff", id8], { cwd: dir }))
        .json<AgentChanges[]>();
    assertEquals(json.find((c) => c.agent === "docs")!.files, [
      { path: "DOCS.md", added: 2, removed: 0 },
    ]);
    assertEquals(json.find((c) => c.agent === "qa")!.uncommitted, ["wip.txt"]);

    const status =
      (await maosOk(["--json", "orchestration", "status", id8], { cwd: dir }))
        .json<OrchestrationStatus>();
    assertEquals(
      status.agents.find((a) => a.id === "qa")!.worktree,
      worktreeOf(dir, id, "qa"),
    );
    const text = await maosOk(["orchestration", "status", id8], { cwd: dir });
    assertIncludes(text.stdout, `worktree ${worktreeOf(dir, id, "dev")}`);

    const merged = await maosOk([
      "orchestration",
      "merge",
      id8,
      "--agent",
      "dev",
    ], { cwd: dir });
    assertIncludes(merged.stdout, "app.txt");
    assertEquals(readFile(path.join(dir, "app.txt")), "base\nfeature\n");
    assertEquals(readFile(path.join(dir, "DOCS.md")), null);
    assertEquals(await gitText(dir, ["rev-parse", "HEAD^"]), base);

    const discarded = await maosOk([
      "orchestration",
      "discard",
      id8,
      "--agent",
      "qa",
    ], {
      cwd: dir,
    });
    assertIncludes(discarded.stdout, `Discarded qa's work in ${id8}`);
    const ref = `refs/maos/${id}/qa.discarded`;
    assertIncludes(discarded.stderr, `git branch NAME ${ref}`);
    assertEquals(fs.existsSync(worktreeOf(dir, id, "qa")), false);
    assertEquals(
      await gitText(dir, ["branch", "--list", `maos/${id8}/qa`]),
      "",
    );
    assertEquals(await showFile(dir, ref, "wip.txt"), "half\n");
    assertEquals(await showFile(dir, ref, "QA.md"), "checked\n");
    const after =
      (await maosOk(["--json", "orchestration", "status", id8], { cwd: dir }))
        .json<OrchestrationStatus>();
    assertEquals(after.agents.find((a) => a.id === "qa")!.discarded, ref);

    // Discarded on purpose: doctor finds nothing missing, and --repair makes nothing again.
    const doctor = await runMaos(["doctor", "--repair"], { cwd: dir });
    assertEquals(doctor.code, 0, doctor.stdout + doctor.stderr);
    assert(!doctor.stdout.includes("missing"), doctor.stdout);
    assertEquals(fs.existsSync(worktreeOf(dir, id, "qa")), false);

    // The rest merges; the discarded agent's work does not come in.
    const rest = await maosOk(["orchestration", "merge", id8], { cwd: dir });
    assertIncludes(rest.stdout, "DOCS.md");
    assertEquals(readFile(path.join(dir, "QA.md")), null);

    const bad = await runMaos([
      "orchestration",
      "discard",
      id8,
      "--agent",
      "zz",
    ], { cwd: dir });
    assertEquals(bad.code, 2);
    assertIncludes(bad.stderr, "its agents: dev, docs, qa");
    const badDiff = await runMaos([
      "orchestration",
      "diff",
      id8,
      "--agent",
      "zz",
    ], { cwd: dir });
    assertEquals(badDiff.code, 2);
  });
});

Deno.test("a discarded agent's work does not come back through a branch that merged it for a task: merge refuses (exit 1) unless that agent is named with --agent", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }, { id: "qa", role: "tester" }],
      tasks: [
        { id: "code", agent: "dev", title: "Code", run: "echo bad > code.txt" },
        {
          id: "test",
          agent: "qa",
          title: "Test",
          run: "echo ok > qa.txt",
          dependsOn: ["code"],
        },
      ],
    });
    await gitInit(dir);
    await maosOk(["orchestrate", "Two", "--plan", plan], { cwd: dir });
    const id8 = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0]
      .slice(0, 8);
    await maosOk(["orchestration", "discard", id8, "--agent", "dev"], {
      cwd: dir,
    });
    const head = await gitText(dir, ["rev-parse", "HEAD"]);
    const all = await runMaos(["orchestration", "merge", id8], { cwd: dir });
    assertEquals(all.code, 1, all.stdout + all.stderr);
    assertIncludes(
      all.stderr,
      `maos/${id8}/qa holds the discarded work of dev`,
    );
    assertEquals(await gitText(dir, ["rev-parse", "HEAD"]), head);
    assertEquals(readFile(path.join(dir, "code.txt")), null);
    const dry = await runMaos(["orchestration", "merge", id8, "--dry-run"], {
      cwd: dir,
    });
    assertEquals(dry.code, 0, dry.stdout + dry.stderr);
    assertIncludes(dry.stderr, "holds the discarded work of dev");
    const one = await maosOk(["orchestration", "merge", id8, "--agent", "qa"], {
      cwd: dir,
    });
    assertIncludes(one.stderr, "it came in with this merge");
    assertEquals(readFile(path.join(dir, "qa.txt")), "ok\n");
  });
});

Deno.test("an agent discarded before its task is done starts afresh from the start commit on resume, its old work only in the discarded ref", async () => {
  await withProject(async (dir) => {
    const ok = path.join(dir, "runs", "ok");
    const plan = writePlan(dir, {
      agents: [{ id: "dev", role: "developer" }],
      tasks: [{
        id: "a",
        agent: "dev",
        title: "A",
        run: `echo try >> tries.txt; test -e '${ok}'`,
      }],
    });
    await gitInit(dir);
    const first = await runMaos(["orchestrate", "Again", "--plan", plan], {
      cwd: dir,
    });
    assertEquals(first.code, 1, first.stdout + first.stderr);
    const id = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0];
    await maosOk(
      ["orchestration", "discard", id.slice(0, 8), "--agent", "dev"],
      {
        cwd: dir,
      },
    );
    fs.writeFileSync(ok, "");
    await maosOk(["orchestration", "resume", id.slice(0, 8)], { cwd: dir });
    assertEquals(
      readFile(path.join(worktreeOf(dir, id, "dev"), "tries.txt")),
      "try\n",
    );
    assertEquals(
      await showFile(dir, `refs/maos/${id}/dev.discarded`, "tries.txt"),
      "try\n",
    );
  });
});
