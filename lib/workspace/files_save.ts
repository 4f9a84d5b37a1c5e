/**
 * The agents' files in the orchestration's saves: each one's worktree is
 * recorded as a commit (an `agent.files` event) at task ends, pauses,
 * checkpoints and every save interval — off the message path, and only
 * when its files changed.
 *
 * @module
 */
import { errorText } from "../../store/errors.ts";
import type { Journal } from "../../store/journal.ts";
import type {
  NewEvent,
  OrchestrationState,
  TaskState,
} from "../../store/schema.ts";
import { type SavedFiles, Workspace } from "./workspace.ts";
import { copyInto, runSetup, type SetupHooks } from "./worktree_setup.ts";

export class FilesSaver {
  private timer: ReturnType<typeof setInterval> | undefined;
  private inFlight = new Set<Promise<unknown>>();
  private intervalBusy = false;

  constructor(
    readonly workspace: Workspace,
    private readonly state: () => OrchestrationState,
    private readonly record: (event: NewEvent) => void,
    private readonly warn: (text: string) => void,
  ) {}

  /** Save the files of `active()` agents every `seconds`. */
  start(seconds: number, active: () => string[]): void {
    this.stop();
    this.timer = setInterval(() => {
      if (this.intervalBusy) return;
      this.intervalBusy = true;
      void this.save(active(), "interval").finally(() =>
        this.intervalBusy = false
      );
    }, seconds * 1000);
  }

  /** Stop the interval and wait for saves under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.inFlight]);
  }

  cwdFor(agent: string): string {
    return this.workspace.cwdFor(agent);
  }

  /**
   * Before a task runs: its agent's worktree exists, and the branches of
   * the tasks it depends on are merged in, `worktrees.copy` is copied in
   * and `worktrees.setup` has run there (with `hooks`). Returns why the
   * task cannot run (a merge conflict, a failed setup), or null.
   */
  async prepareTask(
    task: TaskState,
    hooks?: SetupHooks,
  ): Promise<string | null> {
    const agent = this.state().agents.find((a) => a.id === task.agent);
    if (!agent) return null;
    const warning = await this.workspace.ensure(agent);
    if (warning) this.warn(warning);
    const { copy, setup } = this.workspace.settings;
    const missing = copyInto(this.workspace, agent.id, copy);
    if (missing.length > 0) {
      this.warn(
        `worktrees.copy: ${
          missing.join(", ")
        } not in the project; ${agent.id}'s worktree goes without`,
      );
    }
    const blocked = await this.workspace.mergeDependencies(task, this.state());
    if (blocked || !hooks) return blocked;
    return await runSetup(this.workspace, agent.id, setup, hooks);
  }

  /** A task ended: a completed one's work is committed on its branch; then the files are saved. */
  async taskEnded(
    task: TaskState,
    outcome: "completed" | "failed" | "paused",
  ): Promise<void> {
    try {
      if (outcome === "completed") await this.workspace.commitTask(task);
    } catch (err) {
      this.warn(`could not commit ${task.agent}'s work: ${errorText(err)}`);
    }
    await this.save([task.agent], outcome === "paused" ? "pause" : "task");
  }

  /** Record the files of `agents` (those that changed); failures are warnings. */
  save(agents: string[], reason: string): Promise<void> {
    const work = Promise.all(
      [...new Set(agents)].map(async (agent) => {
        try {
          await this.workspace.saveFiles(
            agent,
            reason,
            () => this.state().agents.find((a) => a.id === agent)?.files,
            (saved: SavedFiles) =>
              this.record({
                type: "agent.files",
                agent,
                commit: saved.commit,
                head: saved.head,
                reason,
              }),
          );
        } catch (err) {
          this.warn(`could not save ${agent}'s files: ${errorText(err)}`);
        }
      }),
    ).then(() => {});
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }
}

/**
 * Outside a run (a manual checkpoint of an orchestration no process
 * drives): each agent's worktree files as they are now, recorded in
 * `journal` when they changed, so the checkpoint names them.
 */
export async function saveJournalFiles(
  projectRoot: string,
  journal: Journal,
  reason: string,
): Promise<void> {
  const workspace = await Workspace.open(projectRoot, journal.state);
  if (!workspace) return;
  for (const agent of journal.state.agents) {
    await workspace.saveFiles(
      agent.id,
      reason,
      () => journal.state.agents.find((a) => a.id === agent.id)?.files,
      (saved) =>
        journal.append({
          type: "agent.files",
          agent: agent.id,
          commit: saved.commit,
          head: saved.head,
          reason,
        }),
    );
  }
}
