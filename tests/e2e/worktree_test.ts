/**
 * A git worktree per agent (DESIGN §4b), with the real program, real shell
 * agents editing files and real git repositories in temp dirs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { git, gitText } from "../../lib/git/git.ts";
import {
  assert,
  assertEquals,
  assertIncludes,
  maosOk,
  MaosProcess,
  orchestrationIds,
  readEvents,
  runMaos,
  taskStatuses,
  waitForOrchestration,
  waitUntil,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import {
  filesEvents,
  gitInit,
  readFile,
  showFile,
  userStatus,
  worktreeOf,
} from "./_git_project.ts";

/** Two developers append to the same file at once; the tester needs both. */
function parallelPlan(dir: string): string {
  return writePlan(dir, {
    agents: [
      { id: "dev-a", role: "developer" },
      { id: "dev-b", role: "developer" },
      { id: "tester", role: "tester" },
    ],
    tasks: [
      {
        id: "a",
        agent: "dev-a",
        title: "Edit as a",
        run: "echo from-a >> shared.txt; echo a > only-a.txt",
      },
      {
        id: "b",
        agent: "dev-b",
        title: "Edit as b",
        run: "echo from-b >> shared.txt",
      },
      {
        id: "test",
        agent: "tester",
        title: "Test both",
        dependsOn: ["a", "b"],
        run: "cat shared.txt",
      },
    ],
  });
}

Deno.test("two agents editing the same file in parallel keep both edits on their branches, and the dependant's merge conflict names the file", async () => {
  await withProject(async (dir) => {
    fs.writeFileSync(path.join(dir, "shared.txt"), "line 1\n");
    const plan = parallelPlan(dir);
    const base = await gitInit(dir);
    const run = await runMaos(["orchestrate", "Parallel", "--plan", plan], {
      cwd: dir,
    });
    assertEquals(run.code, 1, run.stdout + run.stderr);
    assertIncludes(run.stdout, "own git worktree");
    const id = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0];
    const id8 = id.slice(0, 8);
    // No edit lost: each branch holds its agent's line, committed at task end.
    assertEquals(
      await showFile(dir, `maos/${id8}/dev-a`, "shared.txt"),
      "line 1\nfrom-a\n",
    );
    assertEquals(
      await showFile(dir, `maos/${id8}/dev-b`, "shared.txt"),
      "line 1\nfrom-b\n",
    );
    assertEquals(
      await gitText(dir, ["log", "-1", "--format=%s", `maos/${id8}/dev-a`]),
      "Edit as a",
    );
    // The tester's merge stopped on the conflict, named the file, and was undone.
    const failed = readEvents(dir, id).find((e) =>
      e.type === "task.status" && e.task === "test" && e.status === "failed"
    );
    assert(failed?.type === "task.status");
    assertIncludes(failed.summary ?? "", "merge conflict in shared.txt");
    const tester = worktreeOf(dir, id, "tester");
    assertEquals(await gitText(tester, ["status", "--porcelain"]), "");
    assertEquals(readFile(path.join(tester, "shared.txt")), "line 1\nfrom-a\n");
    // The user's own tree and branch are untouched.
    assertEquals(readFile(path.join(dir, "shared.txt")), "line 1\n");
    assertEquals(await gitText(dir, ["rev-parse", "HEAD"]), base);
    assertEquals(await userStatus(dir), "");
    // The user resolves the conflict in the tester's worktree; resume goes on.
    await git(tester, ["merge", `maos/${id8}/dev-b`], { allowFail: true });
    fs.writeFileSync(
      path.join(tester, "shared.txt"),
      "line 1\nfrom-a\nfrom-b\n",
    );
    await git(tester, ["commit", "-qam", "resolved"]);
    const resumed = await maosOk(["orchestration", "resume", id8], {
      cwd: dir,
    });
    assertIncludes(resumed.stdout, "from-b");
    assertEquals(taskStatuses(dir, id).test, "completed");
  });
});

Deno.test("a tester task sees the developer's commits, and every agent's files are in the log", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [
        { id: "developer-001", role: "developer" },
        { id: "tester-001", role: "tester" },
      ],
      tasks: [
        {
          id: "code",
          agent: "developer-001",
          title: "Write the code",
          run: "mkdir -p src && echo 'export const x = 1;' > src/x.ts\n" +
            "echo scratch > notes.log",
        },
        {
          id: "check",
          agent: "tester-001",
          title: "Check the code",
          dependsOn: ["code"],
          run: "cat src/x.ts > seen.txt\n" +
            "git log --format=%s -1 > last-commit.txt\n" +
            "test -f notes.log && echo ignored-file-came-along >> seen.txt\n" +
            "true",
        },
      ],
    });
    await gitInit(dir);
    await maosOk(["orchestrate", "Tester sees code", "--plan", plan], {
      cwd: dir,
    });
    const id = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0];
    const tester = worktreeOf(dir, id, "tester-001");
    assertEquals(
      readFile(path.join(tester, "seen.txt")),
      "export const x = 1;\n",
    );
    assertEquals(
      readFile(path.join(tester, "last-commit.txt")),
      "Write the code\n",
    );
    const files = filesEvents(dir, id);
    assertEquals(files.map((e) => e.agent).sort(), [
      "developer-001",
      "tester-001",
    ]);
    const dev = files.find((e) => e.agent === "developer-001")!;
    assertEquals(
      await showFile(dir, dev.commit, "src/x.ts"),
      "export const x = 1;\n",
    );
    // Ignored files stay out of the saves.
    assertEquals(await showFile(dir, dev.commit, "notes.log"), null);
    assertEquals(
      await gitText(dir, ["rev-parse", `refs/maos/${id}/developer-001`]),
      dev.commit,
    );
    assertEquals(await userStatus(dir), "");
  });
});

/** One task that writes half a file, then works a long time; run again it finishes it. */
function halfPlan(dir: string): string {
  return writePlan(dir, {
    agents: [{ id: "developer-001", role: "developer" }],
    tasks: [{
      id: "edit",
      agent: "developer-001",
      title: "Long edit",
      run: "if [ -f part.txt ]; then echo resumed >> part.txt; exit 0; fi\n" +
        "echo half > part.txt\n" +
        `touch '${path.join(dir, "runs", "started")}'\n` +
        "sleep 60",
    }],
  });
}

async function killMidEdit(dir: string, plan: string): Promise<string> {
  const maos = new MaosProcess(
    ["orchestrate", "Half", "--plan", plan, "--save-interval", "1"],
    { cwd: dir },
  );
  const id = await waitForOrchestration(dir, maos);
  // The interval save has recorded the half-written file.
  await waitUntil(
    () => filesEvents(dir, id).some((e) => e.reason === "interval"),
    () => `an interval files save\n${maos.output()}`,
  );
  maos.kill("SIGKILL");
  await maos.exit();
  return id;
}

Deno.test("kill -9 mid-edit, then resume: the worktree is reused with the half-written file", async () => {
  await withProject(async (dir) => {
    const plan = halfPlan(dir);
    await gitInit(dir);
    const id = await killMidEdit(dir, plan);
    const saved = filesEvents(dir, id).at(-1)!;
    assertEquals(await showFile(dir, saved.commit, "part.txt"), "half\n");
    const worktree = worktreeOf(dir, id, "developer-001");
    assertEquals(readFile(path.join(worktree, "part.txt")), "half\n");
    await maosOk(["orchestration", "resume", id.slice(0, 8)], { cwd: dir });
    assertEquals(taskStatuses(dir, id).edit, "completed");
    assertEquals(
      readFile(path.join(worktree, "part.txt")),
      "half\nresumed\n",
    );
    assertEquals(
      await showFile(dir, `maos/${id.slice(0, 8)}/developer-001`, "part.txt"),
      "half\nresumed\n",
    );
    assertEquals(await userStatus(dir), "");
  });
});

Deno.test("killed right after its first event, a worktree orchestration still resumes in worktrees", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "developer-001", role: "developer" }],
      tasks: [{
        id: "w",
        agent: "developer-001",
        title: "Write",
        run: "echo hi > out.txt",
      }],
    });
    await gitInit(dir);
    await maosOk(["orchestrate", "Write", "--plan", plan], { cwd: dir });
    const [id] = orchestrationIds(dir);
    // Leave only what a kill after the first append leaves: that one event,
    // no snapshot, no checkpoint, no worktree, branch or files ref.
    const orch = path.join(dir, ".maos", "orchestrations", id);
    const first = fs.readFileSync(path.join(orch, "events.jsonl"), "utf8")
      .split("\n")[0];
    fs.writeFileSync(path.join(orch, "events.jsonl"), `${first}\n`);
    for (const name of ["state.json", "agents"]) {
      fs.rmSync(path.join(orch, name), { recursive: true, force: true });
    }
    fs.rmSync(path.join(dir, ".maos", "checkpoints"), { recursive: true });
    fs.mkdirSync(path.join(dir, ".maos", "checkpoints"));
    const worktree = worktreeOf(dir, id, "developer-001");
    await git(dir, ["worktree", "remove", "--force", worktree]);
    await git(dir, ["branch", "-D", `maos/${id.slice(0, 8)}/developer-001`]);
    await git(dir, ["update-ref", "-d", `refs/maos/${id}/developer-001`]);

    await maosOk(["orchestration", "resume", id.slice(0, 8)], { cwd: dir });
    assertEquals(taskStatuses(dir, id).w, "completed");
    assertEquals(readFile(path.join(worktree, "out.txt")), "hi\n");
    assertEquals(readFile(path.join(dir, "out.txt")), null);
    assertEquals(await userStatus(dir), "");
  });
});

Deno.test("a worktree lost after a crash is made again from the newest files commit", async () => {
  await withProject(async (dir) => {
    const plan = halfPlan(dir);
    await gitInit(dir);
    const id = await killMidEdit(dir, plan);
    const worktree = worktreeOf(dir, id, "developer-001");
    fs.rmSync(worktree, { recursive: true, force: true });
    await maosOk(["orchestration", "resume", id.slice(0, 8)], { cwd: dir });
    assertEquals(
      readFile(path.join(worktree, "part.txt")),
      "half\nresumed\n",
    );
  });
});

Deno.test("outside a git repository the agents share the directory and the start says so; --isolation worktree there is a usage error", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "developer-001", role: "developer" }],
      tasks: [{
        id: "edit",
        agent: "developer-001",
        title: "Edit",
        run: "echo here > here.txt",
      }],
    });
    const refused = await runMaos(
      ["orchestrate", "No repo", "--plan", plan, "--isolation", "worktree"],
      { cwd: dir },
    );
    assertEquals(refused.code, 2, refused.stderr);
    assertIncludes(refused.stderr, "not a git repository");
    assert(!fs.existsSync(path.join(dir, ".maos")), "nothing written");
    const run = await maosOk(["orchestrate", "No repo", "--plan", plan], {
      cwd: dir,
    });
    assertIncludes(run.stdout, "isolation: shared");
    assertEquals(readFile(path.join(dir, "here.txt")), "here\n");
  });
});

Deno.test("--isolation shared in a repository: agents edit the user's tree; uncommitted changes are announced under worktree", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "developer-001", role: "developer" }],
      tasks: [{
        id: "edit",
        agent: "developer-001",
        title: "Edit",
        run: "echo here > here.txt",
      }],
    });
    await gitInit(dir);
    fs.writeFileSync(path.join(dir, "draft.md"), "not committed\n");
    const isolated = await maosOk(["orchestrate", "Repo", "--plan", plan], {
      cwd: dir,
    });
    assertIncludes(isolated.stdout, "(draft.md) is not visible to the agents");
    assertEquals(readFile(path.join(dir, "here.txt")), null);
    await maosOk(
      ["orchestrate", "Repo", "--plan", plan, "--isolation", "shared"],
      { cwd: dir },
    );
    assertEquals(readFile(path.join(dir, "here.txt")), "here\n");
  });
});

/** One developer writes v1, then v2 of a file: an auto-checkpoint after each. */
function twoStepPlan(dir: string): string {
  return writePlan(dir, {
    agents: [{ id: "developer-001", role: "developer" }],
    tasks: [
      {
        id: "one",
        agent: "developer-001",
        title: "Version 1",
        run: "echo v1 > code.txt",
      },
      {
        id: "two",
        agent: "developer-001",
        title: "Version 2",
        dependsOn: ["one"],
        run: "echo v2 > code.txt; echo extra > extra.txt",
      },
    ],
  });
}

Deno.test("recover restore brings the agents' files back to the checkpoint, --dry-run lists them, --fork gets new worktrees and leaves the original alone", async () => {
  await withProject(async (dir) => {
    const plan = twoStepPlan(dir);
    await gitInit(dir);
    await maosOk(["orchestrate", "Two steps", "--plan", plan], { cwd: dir });
    const id = fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0];
    const worktree = worktreeOf(dir, id, "developer-001");
    const list = await maosOk(["--json", "recover", "list"], { cwd: dir });
    const checkpoints = list.json<{ id: string }[]>();
    assertEquals(checkpoints.length, 2);
    const afterOne = checkpoints[1].id; // newest first

    const dry = await maosOk(
      ["recover", "restore", afterOne, "--dry-run"],
      { cwd: dir },
    );
    assertIncludes(
      dry.stdout,
      "developer-001: would change code.txt, extra.txt",
    );
    assertEquals(readFile(path.join(worktree, "code.txt")), "v2\n");

    const fork = await maosOk(
      ["--json", "recover", "restore", afterOne, "--fork"],
      { cwd: dir },
    );
    const forkId = fork.json<{ orchestrations: { target: string }[] }>()
      .orchestrations[0].target;
    const forked = worktreeOf(dir, forkId, "developer-001");
    assertEquals(readFile(path.join(forked, "code.txt")), "v1\n");
    assertEquals(readFile(path.join(forked, "extra.txt")), null);
    assertEquals(
      await gitText(forked, ["branch", "--show-current"]),
      `maos/${forkId.slice(0, 8)}/developer-001`,
    );
    assertEquals(readFile(path.join(worktree, "code.txt")), "v2\n");

    const v2Save = await gitText(dir, [
      "rev-parse",
      `refs/maos/${id}/developer-001`,
    ]);
    const restored = await maosOk(["recover", "restore", afterOne], {
      cwd: dir,
    });
    assertIncludes(restored.stdout, "developer-001: changed code.txt");
    assertEquals(readFile(path.join(worktree, "code.txt")), "v1\n");
    assertEquals(readFile(path.join(worktree, "extra.txt")), null);
    assertEquals(
      await gitText(worktree, ["log", "-1", "--format=%s"]),
      "Version 1",
    );
    // Nothing lost: the files before the restore are still in the files ref's history.
    const kept = await gitText(dir, [
      "rev-list",
      `refs/maos/${id}/developer-001`,
    ]);
    assert(kept.split("\n").includes(v2Save), "the v2 save is still reachable");
    assertEquals(await showFile(dir, v2Save, "code.txt"), "v2\n");
    // Resume runs the rewound task again, on the restored files.
    await maosOk(["orchestration", "resume", id.slice(0, 8)], { cwd: dir });
    assertEquals(readFile(path.join(worktree, "code.txt")), "v2\n");
    assertEquals(await userStatus(dir), "");
  });
});

Deno.test("Ctrl-C mid-edit: the pause records the agent's half-written files, and resume finishes in the same worktree", async () => {
  await withProject(async (dir) => {
    const plan = halfPlan(dir);
    await gitInit(dir);
    const maos = new MaosProcess(
      ["orchestrate", "Half", "--plan", plan],
      { cwd: dir },
    );
    const id = await waitForOrchestration(dir, maos);
    await waitUntil(
      () => fs.existsSync(path.join(dir, "runs", "started")),
      () => `the task to start\n${maos.output()}`,
    );
    maos.kill("SIGINT");
    assertEquals((await maos.exit()).code, 130, maos.output());
    const paused = filesEvents(dir, id).find((e) => e.reason === "pause");
    assert(paused !== undefined, "a files save at the pause");
    assertEquals(await showFile(dir, paused.commit, "part.txt"), "half\n");
    await maosOk(["orchestration", "resume", id.slice(0, 8)], { cwd: dir });
    assertEquals(
      readFile(path.join(worktreeOf(dir, id, "developer-001"), "part.txt")),
      "half\nresumed\n",
    );
    assertEquals(await userStatus(dir), "");
  });
});
