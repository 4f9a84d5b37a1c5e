import { git, gitText, maosIdentity } from "../git/git.ts";
import { assertEquals } from "../../store/_test_util.ts";
import { commitAllAs, removeRepo, tempRepo, write } from "../git/_test_repo.ts";
import type { OrchestrationState } from "../../store/schema.ts";
import { agentChanges, parseNumstat } from "./agent_changes.ts";

Deno.test("numstat lines give added and removed lines, null for a binary file", () => {
  assertEquals(parseNumstat("3\t1\ta.ts\n-\t-\timg.png\n\nnoise"), [
    { path: "a.ts", added: 3, removed: 1 },
    { path: "img.png", added: null, removed: null },
  ]);
});

Deno.test("an agent's files are its own commits since the base plus its unsaved work, not what it merged from another agent", async () => {
  const repo = await tempRepo();
  try {
    const id = "0123456789ab";
    const base = await gitText(repo, ["rev-parse", "HEAD"]);
    const asAgent = async (agent: string, file: string, text: string) => {
      write(repo, file, text);
      await git(repo, ["add", "-A"]);
      await git(repo, ["commit", "-q", "-m", file], {
        env: maosIdentity(`maos ${agent}`),
      });
    };
    await git(repo, ["checkout", "-q", "-b", "maos/01234567/a-001"]);
    await asAgent("a-001", "a.txt", "1\n2\n");
    await git(repo, ["checkout", "-q", "-b", "maos/01234567/b-001", base]);
    // b depends on a: a's work is merged in (fast-forward), then b's own.
    await git(repo, ["merge", "-q", "--ff-only", "maos/01234567/a-001"]);
    await asAgent("b-001", "b.txt", "x\n");
    write(repo, "README.md", "hello\nmore\n");
    const head = await commitAllAs(repo, "b edits README as its own user");
    // b's newest save holds one more file it had not committed.
    write(repo, "wip.txt", "w\n");
    await git(repo, ["add", "-A"]);
    const tree = await gitText(repo, ["write-tree"]);
    const saved = await gitText(repo, [
      "commit-tree",
      tree,
      "-p",
      head,
      "-m",
      "save",
    ]);
    await git(repo, ["update-ref", `refs/maos/${id}/b-001`, saved]);
    await git(repo, ["reset", "-q", "--hard", head]);
    await git(repo, ["checkout", "-q", "main"]);

    const state = {
      id,
      isolation: { mode: "worktree", base },
      agents: [{ id: "a-001" }, { id: "b-001" }, { id: "c-001" }],
    } as unknown as OrchestrationState;
    const changes = await agentChanges(repo, state);
    assertEquals(changes, [
      {
        agent: "a-001",
        files: [{ path: "a.txt", added: 2, removed: 0 }],
        note: null,
      },
      {
        agent: "b-001",
        files: [
          { path: "README.md", added: 1, removed: 0 },
          { path: "b.txt", added: 1, removed: 0 },
          { path: "wip.txt", added: 1, removed: 0 },
        ],
        note: null,
      },
      { agent: "c-001", files: [], note: "no branch or saved files" },
    ]);
  } finally {
    await removeRepo(repo);
  }
});
