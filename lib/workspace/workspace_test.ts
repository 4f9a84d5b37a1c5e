import * as fs from "node:fs";
import * as path from "node:path";
import { assert, assertEquals } from "../../store/_test_util.ts";
import type { AgentState } from "../../store/schema.ts";
import { git, gitText } from "../git/git.ts";
import { headCommit } from "../git/repo.ts";
import { read, removeRepo, tempRepo } from "../git/_test_repo.ts";
import { Workspace } from "./workspace.ts";

const ID = "0123456789ab";

function agent(id: string): AgentState {
  return {
    id,
    role: "developer",
    driver: "shell",
    instructions: "",
    status: "pending",
    sessionId: null,
    messages: 0,
    cost: 0,
    inputTokens: 0,
    outputTokens: 0,
  };
}

async function workspaceIn(repo: string): Promise<Workspace> {
  const base = (await headCommit(repo))!;
  return (await Workspace.open(repo, {
    id: ID,
    isolation: { mode: "worktree", base },
  }))!;
}

Deno.test("a worktree whose creation a crash cut short (locked initializing) is made again whole", async () => {
  const repo = await tempRepo();
  try {
    const ws = await workspaceIn(repo);
    const dir = ws.worktreeOf("dev");
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    await git(repo, ["worktree", "add", "-q", "--detach", dir]);
    await git(repo, ["worktree", "lock", "--reason", "initializing", dir]);
    fs.rmSync(path.join(dir, "README.md"));
    assertEquals(await ws.ensure(agent("dev")), null);
    assertEquals(read(dir, "README.md"), "hello\n");
    assertEquals(
      await gitText(dir, ["branch", "--show-current"]),
      `maos/${ID.slice(0, 8)}/dev`,
    );
  } finally {
    await removeRepo(repo);
  }
});

Deno.test("a directory without .git where a worktree belongs is moved aside, not deleted", async () => {
  const repo = await tempRepo();
  try {
    const ws = await workspaceIn(repo);
    const dir = ws.worktreeOf("dev");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "stray.txt"), "keep me\n");
    await ws.ensure(agent("dev"));
    assertEquals(read(dir, "README.md"), "hello\n");
    const aside = fs.readdirSync(path.dirname(dir)).find((n) =>
      n.startsWith("dev.unfinished-")
    );
    assert(aside !== undefined, "moved aside");
    assertEquals(
      read(path.join(path.dirname(dir), aside), "stray.txt"),
      "keep me\n",
    );
  } finally {
    await removeRepo(repo);
  }
});

Deno.test("a dependency merges into a worktree whose index a kill left staged (between the task end's git add and commit)", async () => {
  const repo = await tempRepo();
  try {
    const ws = await workspaceIn(repo);
    const dev = agent("dev");
    const tester = agent("tester");
    await ws.ensure(dev);
    await ws.ensure(tester);
    fs.writeFileSync(path.join(ws.worktreeOf("dev"), "code.ts"), "x\n");
    await git(ws.worktreeOf("dev"), ["add", "-A"]);
    await git(ws.worktreeOf("dev"), ["commit", "-qm", "code"]);
    // The tester has a commit of its own (no fast-forward), and half-done
    // work staged by a `git add -A` a kill cut short.
    fs.writeFileSync(path.join(ws.worktreeOf("tester"), "plan.ts"), "p\n");
    await git(ws.worktreeOf("tester"), ["add", "-A"]);
    await git(ws.worktreeOf("tester"), ["commit", "-qm", "plan"]);
    fs.writeFileSync(path.join(ws.worktreeOf("tester"), "test.ts"), "t\n");
    await git(ws.worktreeOf("tester"), ["add", "-A"]);
    const task = {
      id: "check",
      agent: "tester",
      title: "Check",
      description: "",
      dependsOn: ["code"],
      status: "pending",
      progress: 0,
    };
    const state = {
      tasks: [{ ...task, id: "code", agent: "dev", dependsOn: [] }, task],
    };
    // deno-lint-ignore no-explicit-any
    const blocked = await ws.mergeDependencies(task as any, state as any);
    assertEquals(blocked, null);
    assertEquals(read(ws.worktreeOf("tester"), "code.ts"), "x\n");
    assertEquals(read(ws.worktreeOf("tester"), "test.ts"), "t\n");
  } finally {
    await removeRepo(repo);
  }
});
