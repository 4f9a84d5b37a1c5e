/**
 * The agents' worktrees of one orchestration (DESIGN §4b): where each one
 * lives, making it (again), saving its files, merging the branches a task
 * depends on, and committing a finished task.
 *
 * Worktrees live in `.maos/worktrees/<id>/<agent>`, listed in
 * `.maos/.gitignore` so nothing there is committed by accident; they survive
 * a crash like the project itself. Not in the git directory: Claude Code
 * refuses to write under any path with a `.git` segment, and agents must
 * write. (Claude Code's own `--worktree` also keeps them in the project, in
 * `.claude/worktrees/`.)
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ensureWorktreesIgnored } from "../../store/config.ts";
import { MaosError } from "../../store/errors.ts";
import { MaosPaths } from "../../store/paths.ts";
import type {
  AgentState,
  OrchestrationState,
  TaskState,
} from "../../store/schema.ts";
import { commitAll, commitFiles, restoreFiles } from "../git/files_commit.ts";
import { mergeBranch, prepareForMerge } from "../git/merge.ts";
import {
  dirtyPaths,
  findRepo,
  headCommit,
  isMerged,
  outsideDir,
  type RepoInfo,
  resolveCommit,
  treeOf,
} from "../git/repo.ts";
import { excludeSpecs, untracked } from "../git/sparse.ts";
import { clearUnfinished, reuseWorktree } from "./worktree_reuse.ts";
import {
  readWorktreesConfig,
  type WorktreesConfig,
} from "./worktrees_config.ts";
import {
  addWorktree,
  listWorktrees,
  pruneWorktrees,
  worktreeReady,
} from "../git/worktree.ts";

export { agentBranch, FETCH_HINT, filesRef, worktreesDir } from "./names.ts";
import {
  agentBranch,
  discardedRef,
  FETCH_HINT,
  filesRef,
  worktreesDir,
} from "./names.ts";

export interface SavedFiles {
  commit: string;
  head: string | null;
}

export class Workspace {
  /** Worktrees known to exist in this process (checked once each). */
  private readonly ready = new Set<string>();
  /** Tree of each files commit seen, so an unchanged save costs no lookup. */
  private readonly trees = new Map<string, string>();
  private readonly queues = new Map<string, Promise<unknown>>();

  private constructor(
    readonly repo: RepoInfo,
    readonly id: string,
    readonly base: string,
    /** The project root (where `.maos/` is) relative to the repository's top. */
    private readonly projectRel: string,
    /** The project root itself (real path). */
    readonly projectRoot: string,
  ) {}

  /** This orchestration's worktrees: `.maos/worktrees/<id>`. */
  get worktreesRoot(): string {
    return worktreesDir(this.projectRoot, this.id);
  }

  /** The workspace of an orchestration with worktree isolation, else null. */
  static async open(
    projectRoot: string,
    state: Pick<OrchestrationState, "id" | "isolation">,
  ): Promise<Workspace | null> {
    if (state.isolation?.mode !== "worktree" || !state.isolation.base) {
      return null;
    }
    const repo = await findRepo(projectRoot);
    if (!repo) {
      throw new MaosError(
        `orchestration ${
          state.id.slice(0, 8)
        } works in git worktrees, but ${projectRoot} is not in a git repository`,
        1,
        "run it from a clone of the repository it started in",
      );
    }
    const real = fs.realpathSync(projectRoot);
    const rel = path.relative(repo.root, real);
    return new Workspace(repo, state.id, state.isolation.base, rel, real);
  }

  /** The project's `.maos/` from the repository's top: never in an agent's checkout (DESIGN §4b). */
  get maosDir(): string {
    return this.projectRel ? `${this.projectRel}/.maos` : ".maos";
  }

  /** `worktrees` of maos.json (the copied files stay out of commits). */
  get settings(): WorktreesConfig {
    return this.worktreesConfig ??= readWorktreesConfig(this.projectRoot);
  }
  private worktreesConfig: WorktreesConfig | undefined;

  /** Pathspecs that keep `.maos/` and the copied files out of every `git add` maos makes in `agent`'s worktree. */
  async keepOut(agent: string): Promise<string[]> {
    const rel = (p: string) =>
      path.posix.join(this.projectRel.split(path.sep).join("/"), p);
    const dir = this.worktreeOf(agent);
    // A copied path that git tracks is the agent's to change and commit.
    const copied = await untracked(dir, this.settings.copy.map(rel));
    return await excludeSpecs(dir, [this.maosDir, ...copied]);
  }

  branchOf(agent: string): string {
    return agentBranch(this.id, agent);
  }

  worktreeOf(agent: string): string {
    return path.join(this.worktreesRoot, agent);
  }

  /** The agent's working directory: the project root inside its worktree. */
  cwdFor(agent: string): string {
    return path.join(this.worktreeOf(agent), this.projectRel);
  }

  /**
   * Make sure the agent's worktree exists. One that is there is used as it
   * is (uncommitted edits included); a missing one is made again on the
   * agent's branch (or from where it was last saved) with the newest saved
   * files put back. Returns a warning line, if any.
   */
  ensure(agent: AgentState): Promise<string | null> {
    return this.queue(agent.id, () => this.ensureNow(agent));
  }

  private async ensureNow(agent: AgentState): Promise<string | null> {
    if (this.ready.has(agent.id)) return null;
    const dir = this.worktreeOf(agent.id);
    await this.serial(() => clearUnfinished(this.repo.root, dir));
    if (await reuseWorktree(this.repo.root, dir, this.maosDir, agent.id)) {
      this.ready.add(agent.id);
      return null;
    }
    const branch = this.branchOf(agent.id);
    const saved = await this.unlessDiscarded(agent);
    let start = this.base;
    if (saved?.head && await resolveCommit(this.repo.root, saved.head)) {
      start = saved.head;
    }
    if (saved && !await resolveCommit(this.repo.root, saved.commit)) {
      // Never started over without them, before any worktree is made (resume checks first).
      throw new MaosError(
        `${agent.id}'s saved files (commit ${
          saved.commit.slice(0, 12)
        }) are not in this clone`,
        1,
        FETCH_HINT,
      );
    }
    if (!await resolveCommit(this.repo.root, start)) {
      throw new MaosError(
        `commit ${
          start.slice(0, 12)
        } (where ${agent.id}'s branch starts) is not in this clone`,
        1,
        FETCH_HINT,
      );
    }
    // One add at a time: a prune must not see another add half done.
    await this.serial(async () => {
      // Before the first worktree: a .maos/ from before worktrees lacks the line.
      ensureWorktreesIgnored(
        new MaosPaths(path.join(this.projectRoot, ".maos")),
      );
      if ((await listWorktrees(this.repo.root)).some((w) => w.path === dir)) {
        await pruneWorktrees(this.repo.root); // registered, but its directory is gone
      }
      await addWorktree(this.repo.root, dir, branch, start, [this.maosDir]);
    });
    if (saved) {
      const head = await headCommit(dir);
      const headTree = head ? await treeOf(dir, head) : null;
      if (headTree !== await treeOf(dir, saved.commit)) {
        await restoreFiles(dir, saved.commit);
      }
    }
    this.ready.add(agent.id);
    return null;
  }

  /** The agent's saved files, unless `orchestration discard` rejected them after their save. */
  private async unlessDiscarded(agent: AgentState) {
    const kept = await resolveCommit(
      this.repo.root,
      discardedRef(this.id, agent.id),
    );
    if (!kept || !agent.files) return agent.files;
    const after = await isMerged(this.repo.root, agent.files.commit, kept);
    return after ? undefined : agent.files;
  }

  /**
   * Commit the agent's files on its files ref when they changed since the
   * last save (`last()`, read when its turn in the queue comes), and hand
   * the result to `record` before the next save of the agent can start.
   */
  saveFiles(
    agent: string,
    reason: string,
    last: () => SavedFiles | undefined,
    record: (saved: SavedFiles) => void,
  ): Promise<SavedFiles | null> {
    return this.queue(agent, async () => {
      const dir = this.worktreeOf(agent);
      if (!worktreeReady(dir)) return null;
      const previous = last();
      const saved = await commitFiles(
        dir,
        filesRef(this.id, agent),
        previous
          ? {
            commit: previous.commit,
            tree: this.trees.get(previous.commit),
            head: previous.head,
          }
          : null,
        `maos files: ${agent} (${reason})`,
        // Only the interval save may miss a moved HEAD (it runs often).
        {
          checkHead: reason !== "interval",
          exclude: await this.keepOut(agent),
        },
      );
      this.trees.set(saved.commit, saved.tree);
      if (!saved.changed) return null;
      const result = { commit: saved.commit, head: saved.head ?? null };
      record(result);
      return result;
    });
  }

  /**
   * Merge the branches of the tasks `task` depends on (other agents') into
   * its agent's worktree. Returns the failure line on a conflict.
   */
  mergeDependencies(
    task: TaskState,
    state: OrchestrationState,
  ): Promise<string | null> {
    return this.queue(task.agent, async () => {
      const agents = new Set<string>();
      for (const dep of task.dependsOn) {
        const agent = state.tasks.find((t) => t.id === dep)?.agent;
        if (agent && agent !== task.agent) agents.add(agent);
      }
      const dir = this.worktreeOf(task.agent);
      if (agents.size > 0) {
        const blocked = await prepareForMerge(dir, `maos ${task.agent}`);
        if (blocked) return blocked;
      }
      for (const agent of agents) {
        const branch = this.branchOf(agent);
        if (!await resolveCommit(this.repo.root, `refs/heads/${branch}`)) {
          continue;
        }
        const outcome = await mergeBranch(dir, branch, {
          message: `maos: merge ${branch} for task ${task.id}`,
          identity: `maos ${task.agent}`,
        });
        if (outcome.status === "conflict") {
          // Files first: a narrow terminal cuts the end of the line.
          return `merge conflict in ${
            outcome.files.join(", ") || "(files git did not name)"
          } (${branch} into ${task.agent}'s worktree); resolve it with: cd ${dir} && git merge ${branch}, then resume`;
        }
      }
      return null;
    });
  }

  /** A finished task's work, committed on the agent's branch (null: nothing to commit). */
  commitTask(task: TaskState): Promise<string | null> {
    return this.queue(task.agent, async () => {
      const dir = this.worktreeOf(task.agent);
      if (!worktreeReady(dir)) return null;
      return await commitAll(
        dir,
        `${task.title}\n\nmaos task ${task.id} of orchestration ${
          this.id.slice(0, 8)
        }, by ${task.agent}`,
        `maos ${task.agent}`,
        await this.keepOut(task.agent),
      );
    });
  }

  /**
   * Files changed in the agent's worktree and not committed on its branch
   * (none when it has no worktree); never `.maos/`, which is not its work.
   */
  async uncommitted(agent: string): Promise<string[]> {
    const dir = this.worktreeOf(agent);
    if (!worktreeReady(dir)) return [];
    return outsideDir(await dirtyPaths(dir), this.maosDir);
  }

  private adding: Promise<unknown> = Promise.resolve();

  /** Run `fn` after every earlier `serial` call of this workspace. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.adding.then(fn, fn);
    this.adding = next.catch(() => {});
    return next;
  }

  /** Run `fn` after everything queued for `agent`: one git operation per worktree at a time. */
  private queue<T>(agent: string, fn: () => Promise<T>): Promise<T> {
    const before = this.queues.get(agent) ?? Promise.resolve();
    const next = before.then(fn, fn);
    this.queues.set(agent, next.catch(() => {}));
    return next;
  }
}
