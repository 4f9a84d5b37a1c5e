import * as fs from "node:fs";
import * as path from "node:path";
import { assert, assertEquals } from "../../store/_test_util.ts";
import { git, gitText, requireGit } from "./git.ts";
import {
  commitAll,
  commitFiles,
  removeStaleIndexes,
  restoreFiles,
} from "./files_commit.ts";
import { mergeBranch, prepareForMerge, previewMerge } from "./merge.ts";
import { dirtyPaths, findRepo, headCommit, resolveCommit } from "./repo.ts";
import { addWorktree, listWorktrees, removeWorktree } from "./worktree.ts";
import {
  commitAllAs,
  read,
  removeRepo,
  showFile,
  tempRepo,
  write,
} from "./_test_repo.ts";

Deno.test("git is found and new enough", async () => {
  assert(/^\d+\.\d+/.test(await requireGit()));
});

Deno.test("a directory outside any repository has no repo", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assertEquals(await findRepo(dir), null);
  } finally {
    await removeRepo(dir);
  }
});

Deno.test("a files commit holds untracked files, not ignored ones, and leaves branch, index and files alone", async () => {
  const repo = await tempRepo();
  try {
    const head = await headCommit(repo);
    write(repo, "new.txt", "untracked\n");
    write(repo, "debug.log", "ignored\n");
    write(repo, "README.md", "changed\n");
    await git(repo, ["add", "README.md"]);
    const statusBefore = await gitText(repo, ["status", "--porcelain"]);
    const saved = await commitFiles(repo, "refs/maos/x/a", null, "save 1");
    assert(saved.changed);
    assertEquals(await showFile(repo, saved.commit, "new.txt"), "untracked\n");
    assertEquals(await showFile(repo, saved.commit, "README.md"), "changed\n");
    assertEquals(await showFile(repo, saved.commit, "debug.log"), null);
    assertEquals(await headCommit(repo), head);
    assertEquals(await gitText(repo, ["status", "--porcelain"]), statusBefore);
    assertEquals(await resolveCommit(repo, "refs/maos/x/a"), saved.commit);
    // Same files: nothing new.
    const again = await commitFiles(repo, "refs/maos/x/a", saved, "save 2");
    assertEquals([again.commit, again.changed], [saved.commit, false]);
    // Changed: a new commit whose parents keep the previous save reachable.
    write(repo, "new.txt", "more\n");
    const third = await commitFiles(repo, "refs/maos/x/a", saved, "save 3");
    assert(third.changed);
    const parents = await gitText(repo, ["rev-parse", `${third.commit}^@`]);
    assertEquals(parents.split("\n"), [head!, saved.commit]);
  } finally {
    await removeRepo(repo);
  }
});

Deno.test("restoring files brings a saved state back, HEAD unmoved", async () => {
  const repo = await tempRepo();
  try {
    write(repo, "a.txt", "one\n");
    const saved = await commitFiles(repo, "refs/maos/x/a", null, "save");
    write(repo, "a.txt", "two\n");
    write(repo, "b.txt", "later\n");
    const head = await headCommit(repo);
    await restoreFiles(repo, saved.commit);
    assertEquals(read(repo, "a.txt"), "one\n");
    assertEquals(read(repo, "b.txt"), null);
    assertEquals(await headCommit(repo), head);
    assertEquals(await dirtyPaths(repo), ["a.txt"]);
  } finally {
    await removeRepo(repo);
  }
});

Deno.test("worktrees are added on a new branch, listed and removed", async () => {
  const repo = await tempRepo();
  try {
    const base = (await headCommit(repo))!;
    const wt = path.join(repo, ".git", "maos-worktrees", "o1", "dev");
    await addWorktree(repo, wt, "maos/o1/dev", base);
    assertEquals(read(wt, "README.md"), "hello\n");
    const listed = await listWorktrees(repo);
    assertEquals(listed.map((w) => w.branch), ["main", "maos/o1/dev"]);
    write(wt, "work.txt", "x\n");
    const commit = await commitAll(wt, "task done", "dev");
    assert(commit !== null);
    assertEquals(await commitAll(wt, "nothing", "dev"), null);
    assertEquals(await dirtyPaths(repo), []);
    await removeWorktree(repo, wt);
    assertEquals((await listWorktrees(repo)).length, 1);
    assertEquals(await resolveCommit(repo, "maos/o1/dev"), commit);
  } finally {
    await removeRepo(repo);
  }
});

Deno.test("a conflicting merge names the files and leaves both sides intact", async () => {
  const repo = await tempRepo();
  try {
    await git(repo, ["branch", "other"]);
    write(repo, "README.md", "main side\n");
    const mainHead = await commitAllAs(repo, "main edit");
    await git(repo, ["checkout", "-q", "other"]);
    write(repo, "README.md", "other side\n");
    write(repo, "clean.txt", "fine\n");
    await commitAllAs(repo, "other edit");
    await git(repo, ["checkout", "-q", "main"]);
    assertEquals(await previewMerge(repo, "main", "other"), {
      conflicts: ["README.md"],
    });
    const outcome = await mergeBranch(repo, "other", { message: "merge" });
    assertEquals(outcome, { status: "conflict", files: ["README.md"] });
    assertEquals(await headCommit(repo), mainHead);
    assertEquals(read(repo, "README.md"), "main side\n");
    assertEquals(await dirtyPaths(repo), []);
  } finally {
    await removeRepo(repo);
  }
});

Deno.test("work staged but never committed (a kill between add and commit) is unstaged, kept, and no longer blocks a merge", async () => {
  const repo = await tempRepo();
  try {
    await git(repo, ["branch", "other"]);
    await git(repo, ["checkout", "-q", "other"]);
    write(repo, "theirs.txt", "from the dependency\n");
    await commitAllAs(repo, "dependency's work");
    await git(repo, ["checkout", "-q", "main"]);
    // A true merge (not a fast-forward): git then wants a clean index.
    write(repo, "mine.txt", "done before\n");
    await commitAllAs(repo, "own earlier work");
    write(repo, "half.txt", "half-written\n");
    await git(repo, ["add", "-A"]);
    // Without preparing, git refuses and the reason is still named.
    const refused = await mergeBranch(repo, "other", { message: "merge" });
    assertEquals(refused, { status: "conflict", files: ["half.txt"] });

    assertEquals(await prepareForMerge(repo, "maos dev"), null);
    const outcome = await mergeBranch(repo, "other", { message: "merge" });
    assertEquals(outcome.status, "merged");
    assertEquals(read(repo, "half.txt"), "half-written\n");
    assertEquals(read(repo, "theirs.txt"), "from the dependency\n");
    assertEquals(await dirtyPaths(repo), ["half.txt"]);
  } finally {
    await removeRepo(repo);
  }
});

Deno.test("a merge left in progress is concluded when nothing is unmerged, and named with its files when something is", async () => {
  const repo = await tempRepo();
  try {
    await git(repo, ["branch", "other"]);
    write(repo, "README.md", "main side\n");
    write(repo, "mine.txt", "mine\n");
    await commitAllAs(repo, "main edit");
    await git(repo, ["checkout", "-q", "other"]);
    write(repo, "README.md", "other side\n");
    write(repo, "theirs.txt", "theirs\n");
    await commitAllAs(repo, "other edit");
    await git(repo, ["checkout", "-q", "main"]);
    await git(repo, ["merge", "other"], { allowFail: true });
    const why = await prepareForMerge(repo, "maos dev");
    assert(why?.includes("conflicts in README.md"), String(why));
    assert(fs.existsSync(path.join(repo, ".git", "MERGE_HEAD")));

    // Resolved but not committed (or git killed before its commit).
    write(repo, "README.md", "both sides\n");
    await git(repo, ["add", "README.md"]);
    assertEquals(await prepareForMerge(repo, "maos dev"), null);
    assert(!fs.existsSync(path.join(repo, ".git", "MERGE_HEAD")));
    assertEquals(
      (await gitText(repo, ["log", "-1", "--format=%P"])).split(" ").length,
      2,
    );
    assertEquals(read(repo, "theirs.txt"), "theirs\n");
    assertEquals(await dirtyPaths(repo), []);
  } finally {
    await removeRepo(repo);
  }
});

Deno.test("temporary indexes of a killed maos are removed, a live one's are kept", async () => {
  const repo = await tempRepo();
  try {
    const dead = path.join(repo, ".git", "maos-files-999999999-abcd.index");
    const live = path.join(repo, ".git", `maos-files-${Deno.pid}-abcd.index`);
    Deno.writeTextFileSync(dead, "x");
    Deno.writeTextFileSync(live, "x");
    await removeStaleIndexes(repo);
    assert(!(await exists(dead)), "the dead one is gone");
    assert(await exists(live), "the live one stays");
  } finally {
    await removeRepo(repo);
  }
});

async function exists(file: string): Promise<boolean> {
  return await Deno.stat(file).then(() => true, () => false);
}
