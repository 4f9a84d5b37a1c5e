/**
 * `.maos/` as a team commits it: two branches that each add an
 * orchestration merge without conflicts, a clone elsewhere loads it, and
 * machine-local files (run.lock, *.tmp) stay out of `git status`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { MaosPaths } from "../../store/paths.ts";
import { assert, assertEquals } from "../../store/_test_util.ts";
import {
  completeTask,
  holdLock,
  makeOrchestration,
  maosOk,
  removeTemp,
  tempMaos,
} from "../fixtures/recovery_fixture.ts";

const hasGit = (() => {
  try {
    return new Deno.Command("git", { args: ["--version"] }).outputSync()
      .success;
  } catch {
    return false;
  }
})();

async function git(cwd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args,
    cwd,
    env: {
      GIT_AUTHOR_NAME: "maos test",
      GIT_AUTHOR_EMAIL: "test@example.com",
      GIT_COMMITTER_NAME: "maos test",
      GIT_COMMITTER_EMAIL: "test@example.com",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(
      `git ${args.join(" ")} failed: ${text}${
        new TextDecoder().decode(out.stderr)
      }`,
    );
  }
  return text;
}

Deno.test({
  name:
    "two branches each adding an orchestration merge cleanly, and a clone of the committed .maos loads",
  ignore: !hasGit,
  async fn() {
    const scratch = await tempMaos();
    const top = await Deno.makeTempDir({ prefix: "maos-git-test-" });
    const repo = path.join(top, "repo");
    const clone = path.join(top, "clone");
    try {
      // Two orchestrations made elsewhere, exported as portable files.
      const ids: string[] = [];
      for (const request of ["Audit the API", "Write the docs"]) {
        const id = await makeOrchestration(
          scratch,
          (j) => completeTask(j, "t1"),
          { request },
        );
        await maosOk([
          "--dir",
          scratch.root,
          "orchestration",
          "export",
          id,
          path.join(top, `${id}.json`),
        ]);
        ids.push(id);
      }

      fs.mkdirSync(repo);
      await git(repo, "init", "-q", "-b", "main");
      await maosOk(["init"], { cwd: repo });
      await git(repo, "add", "-A");
      await git(repo, "commit", "-q", "-m", "maos init");

      for (const [branch, id] of [["a", ids[0]], ["b", ids[1]]]) {
        await git(repo, "checkout", "-q", "-b", branch, "main");
        await maosOk(
          ["orchestration", "import", path.join(top, `${id}.json`)],
          {
            cwd: repo,
          },
        );
        await maosOk(["recover", "checkpoint", "--orchestration", id], {
          cwd: repo,
        });
        await git(repo, "add", "-A");
        await git(repo, "commit", "-q", "-m", `orchestration ${id}`);
      }
      await git(repo, "checkout", "-q", "a");
      await git(repo, "merge", "-q", "--no-edit", "b");
      assertEquals(await git(repo, "status", "--porcelain"), "");

      const listed = (await maosOk(["--json", "orchestration", "list"], {
        cwd: repo,
      })).json<{ id: string }[]>();
      assertEquals(new Set(listed.map((o) => o.id)), new Set(ids));
      const checkpoints = (await maosOk(["--json", "recover", "list"], {
        cwd: repo,
      })).json<unknown[]>();
      assertEquals(checkpoints.length, 2);

      // Cloned to another path, the committed .maos/ loads as it is.
      await git(top, "clone", "-q", repo, clone);
      const status = (await maosOk(
        ["--json", "orchestration", "status", ids[0].slice(0, 6)],
        { cwd: clone },
      )).json<
        { id: string; request: string; progress: { completed: number } }
      >();
      assertEquals(status.id, ids[0]);
      assertEquals(status.request, "Audit the API");
      assertEquals(status.progress.completed, 1);
      await maosOk(["doctor"], { cwd: clone });
      const text = fs.readFileSync(
        path.join(clone, ".maos", "orchestrations", ids[0], "state.json"),
        "utf8",
      );
      assert(!text.includes(top), "no absolute path of the machine");

      // Machine-local files stay out of git status: a live run.lock and temp files.
      const paths = new MaosPaths(path.join(clone, ".maos"));
      const holder = await holdLock(paths.root, ids[1]);
      try {
        assert(fs.existsSync(paths.lock(ids[1])));
        fs.writeFileSync(
          path.join(paths.orchestration(ids[1]), ".state.json.1.abcd.tmp"),
          "{",
        );
        fs.writeFileSync(path.join(paths.root, ".import-0123.tmp"), "");
        assertEquals(await git(clone, "status", "--porcelain"), "");
      } finally {
        await holder.release();
      }
    } finally {
      await removeTemp(scratch);
      await Deno.remove(top, { recursive: true }).catch(() => {});
    }
  },
});
