/**
 * `worktrees.copy` and `worktrees.setup` in maos.json (issue 16, item 4),
 * on real repositories: copied files reach the agent's worktree and never
 * a commit; setup commands run once per worktree, their output is saved,
 * and a failure fails the task resumably.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { git, gitText } from "../../lib/git/git.ts";
import {
  assert,
  assertEquals,
  assertIncludes,
  liveInGroup,
  maosOk,
  MaosProcess,
  readPids,
  runMaos,
  waitUntil,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import { gitInit, worktreeOf } from "./_git_project.ts";

async function initWith(dir: string, worktrees: unknown): Promise<void> {
  await maosOk(["init"], { cwd: dir });
  const file = path.join(dir, ".maos", "maos.json");
  const config = JSON.parse(fs.readFileSync(file, "utf8"));
  fs.writeFileSync(
    file,
    JSON.stringify({ ...config, worktrees }, null, 2) + "\n",
  );
}

function onlyId(dir: string): string {
  return fs.readdirSync(path.join(dir, ".maos", "orchestrations"))[0];
}

Deno.test("worktrees.copy brings .env (ignored) and an untracked file into the agent's worktree, and neither reaches its branch or maos's refs", async () => {
  await withProject(async (dir) => {
    fs.writeFileSync(path.join(dir, ".gitignore"), ".env\n");
    const plan = writePlan(dir, {
      agents: [{ id: "qa", role: "tester" }],
      tasks: [{
        id: "t",
        agent: "qa",
        title: "Use them",
        run: "cat .env config/local.json > seen.txt; echo more >> .env",
      }],
    });
    await gitInit(dir);
    fs.writeFileSync(path.join(dir, ".env"), "SECRET=1\n");
    fs.mkdirSync(path.join(dir, "config"));
    fs.writeFileSync(path.join(dir, "config", "local.json"), "{}\n"); // untracked, not ignored
    await initWith(dir, { copy: [".env", "config/local.json"] });
    await maosOk(["orchestrate", "Copy", "--plan", plan], { cwd: dir });
    const id = onlyId(dir);
    const tree = worktreeOf(dir, id, "qa");
    assertEquals(
      fs.readFileSync(path.join(tree, "seen.txt"), "utf8"),
      "SECRET=1\n{}\n",
    );
    for (const rev of [`maos/${id.slice(0, 8)}/qa`, `refs/maos/${id}/qa`]) {
      const files = await gitText(dir, ["ls-tree", "-r", "--name-only", rev]);
      assertEquals(files.split("\n").includes("seen.txt"), true, files);
      assertEquals(
        files.includes(".env") || files.includes("local.json"),
        false,
        files,
      );
    }
    // The user's own .env is not touched by what the agent did to its copy.
    assertEquals(fs.readFileSync(path.join(dir, ".env"), "utf8"), "SECRET=1\n");
  });
});

Deno.test("worktrees.setup runs once per worktree with its output saved; a failing command fails the task with its reason, and resume runs the setup again", async () => {
  await withProject(async (dir) => {
    const runs = path.join(dir, "runs");
    const plan = writePlan(dir, {
      agents: [{ id: "qa", role: "tester" }],
      tasks: [
        { id: "one", agent: "qa", title: "One", run: "ls deps > one.txt" },
        {
          id: "two",
          agent: "qa",
          title: "Two",
          run: "echo two",
          dependsOn: ["one"],
        },
      ],
    });
    await gitInit(dir);
    await git(dir, ["commit", "-q", "--allow-empty", "-m", "x"]);
    await initWith(dir, {
      setup: [
        `mkdir -p deps && echo installed > deps/pkg && echo x >> '${runs}/count'`,
        `test -e '${runs}/ok' || { echo 'npm ERR! no lockfile' >&2; exit 3; }`,
      ],
    });
    const first = await runMaos(["orchestrate", "Setup", "--plan", plan], {
      cwd: dir,
    });
    assertEquals(first.code, 1, first.stdout + first.stderr);
    const id8 = onlyId(dir).slice(0, 8);
    assertIncludes(first.stdout, "[setup] $ mkdir -p deps");
    const status = await maosOk(["orchestration", "status", id8], { cwd: dir });
    assertIncludes(
      status.stdout,
      'why: worktree setup failed: "test -e',
    );
    assertIncludes(status.stdout, "exited with code 3: npm ERR! no lockfile");
    assertIncludes(status.stdout, `maos orchestration resume ${id8}`);
    const logs = await maosOk(["agent", "logs", id8, "qa", "--task", "one"], {
      cwd: dir,
    });
    assertIncludes(logs.stdout, "[setup] npm ERR! no lockfile");

    fs.writeFileSync(path.join(runs, "ok"), "");
    const again = await runMaos(["orchestration", "resume", id8], { cwd: dir });
    assertEquals(again.code, 0, again.stdout + again.stderr);
    // Run again after the failure, then not for the second task of the same worktree.
    assertEquals(fs.readFileSync(path.join(runs, "count"), "utf8"), "x\nx\n");
    const tree = worktreeOf(dir, onlyId(dir), "qa");
    assertEquals(fs.readFileSync(path.join(tree, "one.txt"), "utf8"), "pkg\n");
  });
});

Deno.test("a worktrees.copy path with .. or .maos in maos.json is refused with the field named", async () => {
  await withProject(async (dir) => {
    await gitInit(dir);
    await initWith(dir, { copy: ["../secrets"] });
    const run = await runMaos(["orchestrate", "x", "--driver", "sim"], {
      cwd: dir,
    });
    assertEquals(run.code === 0, false);
    assertIncludes(run.stderr, "worktrees");
  });
});

Deno.test("kill -9 of maos while a setup command runs: the command is ended by the watchdog, and resume runs the setup again to the end", async () => {
  await withProject(async (dir) => {
    const runs = path.join(dir, "runs");
    const plan = writePlan(dir, {
      agents: [{ id: "qa", role: "tester" }],
      tasks: [{ id: "t", agent: "qa", title: "T", run: "cat setup.txt" }],
    });
    await gitInit(dir);
    await initWith(dir, {
      setup: [
        `echo $$ >> '${runs}/setup.pid'; echo "$MAOS_AGENT_ID" > setup.txt; test -e '${runs}/fast' || sleep 60`,
      ],
    });
    const maos = new MaosProcess(["orchestrate", "Setup", "--plan", plan], {
      cwd: dir,
    });
    await waitUntil(
      () => fs.existsSync(path.join(runs, "setup.pid")),
      "the setup command",
    );
    const [pid] = readPids(dir, "runs/setup.pid");
    assert(liveInGroup(pid).length > 0, "the setup command runs");
    maos.kill("SIGKILL");
    await maos.exit();
    await waitUntil(
      () => liveInGroup(pid).length === 0,
      () => `setup group ${pid} to end: ${liveInGroup(pid)}`,
      10_000,
    );
    fs.writeFileSync(path.join(runs, "fast"), "");
    const id8 = onlyId(dir).slice(0, 8);
    const again = await runMaos(["orchestration", "resume", id8], { cwd: dir });
    assertEquals(again.code, 0, again.stdout + again.stderr);
    assertIncludes(again.stdout, "[qa] qa"); // setup.txt, written with the agent's MAOS_AGENT_ID
    assertEquals(readPids(dir, "runs/setup.pid").length, 2);
  });
});
