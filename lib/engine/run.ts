import { MaosError } from "../../store/errors.ts";
import type { Journal } from "../../store/journal.ts";
import type {
  Config,
  MaosEvent,
  NewEvent,
  TaskState,
  WorkStatus,
} from "../../store/schema.ts";
import type {
  AgentDriver,
  DriverEvent,
  TaskResult,
} from "../drivers/driver.ts";
import { startWatchdog, type Watchdog } from "../drivers/watchdog.ts";
import { withoutMaosLines } from "../drivers/maos_lines.ts";
import { AgentOutputs, resumeNoteFrom } from "./agent_output.ts";
import { writeAutoCheckpoint } from "./auto_checkpoint.ts";
import { buildTaskRun } from "./task_run.ts";
import { type EventSinks, recordDriverEvent } from "./driver_events.ts";
import { AutoSaver } from "./auto_save.ts";
import { FilesSaver } from "./files_save.ts";
import type { Workspace } from "./workspace.ts";
import type { MessageBus } from "./message_bus.ts";
import type { RunOutcome, RunReporter } from "./run_options.ts";
import { finalStatus, schedule } from "./scheduler.ts";

export interface RunSetup {
  journal: Journal;
  bus: MessageBus;
  config: Config;
  reporter: RunReporter;
  driverFor(name: string): AgentDriver;
  /** The project root: agents work here. */
  cwd: string;
  /** Absolute `.maos/` path given to agents as MAOS_DIR. */
  maosDir: string;
  /** `maos orchestration resume --task`: told to every agent at its next turn. */
  extraTask?: string;
  /** Print `[agent]: Continuing …` when an agent starts its first turn of this run. */
  announceContinuing?: boolean;
  /** Worktree isolation: each agent works (and is saved) in its own git worktree. */
  workspace?: Workspace | null;
}

interface ActiveTask {
  task: TaskState;
  stop: AbortController;
  kill: AbortController;
  pids: number[];
  lastLines: string[];
  done: Promise<void>;
}

/** How often `maos message send` messages are picked up from inbox.jsonl. */
const INBOX_POLL_MS = 250;

/**
 * One foreground run of an orchestration: schedules tasks onto drivers,
 * persists everything they report the moment it arrives, saves
 * progressively, and pauses cleanly on the first SIGINT/SIGTERM/SIGHUP.
 */
export class OrchestrationRun {
  private readonly active = new Map<string, ActiveTask>();
  private readonly outputs: AgentOutputs;
  private readonly saver: AutoSaver;
  private readonly files: FilesSaver | undefined;
  private watchdog: Watchdog | undefined;
  private pausing = false;
  private forced = false;
  private wakeUp: () => void = () => {};
  private announced = new Set<string>();
  private saveError: unknown;
  private fatal: unknown;

  private readonly sinks: EventSinks;

  constructor(private readonly setup: RunSetup) {
    const { journal, config } = setup;
    this.outputs = new AgentOutputs(
      journal.paths,
      journal.id,
      (err) => this.fail(err),
    );
    const interval = journal.state.saveIntervalSeconds ??
      config.saveIntervalSeconds;
    this.saver = new AutoSaver(journal, interval, (err) => {
      this.saveError = err;
      setup.reporter.warn(`auto-save failed: ${errorText(err)}`);
    });
    if (setup.workspace) {
      this.files = new FilesSaver(
        setup.workspace,
        () => journal.state,
        (event) => this.record(event),
        (text) => setup.reporter.warn(text),
      );
    }
    this.sinks = {
      state: () => journal.state,
      record: (event) => this.record(event),
      bus: setup.bus,
      outputs: this.outputs,
      saver: this.saver,
      reporter: setup.reporter,
    };
  }

  /** Append an event and show it. */
  record(event: NewEvent): MaosEvent {
    const persisted = this.setup.journal.append(event);
    this.setup.reporter.event(persisted, this.setup.journal.state);
    return persisted;
  }

  async execute(): Promise<RunOutcome> {
    const onSignal = () => this.requestPause();
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    // A closed terminal or a dropped ssh session pauses too.
    process.on("SIGHUP", onSignal);
    this.watchdog = startWatchdog();
    if (this.setup.announceContinuing) {
      // What a crash or pause left in each worktree, recorded before work goes on.
      await this.files?.save(
        this.setup.journal.state.agents.map((a) => a.id),
        "resume",
      );
    }
    this.saver.start();
    this.files?.start(
      this.setup.journal.state.saveIntervalSeconds ??
        this.setup.config.saveIntervalSeconds,
      () => [...this.active.values()].map((a) => a.task.agent),
    );
    const inboxTimer = setInterval(() => this.ingestInbox(), INBOX_POLL_MS);
    try {
      try {
        await this.loop();
      } catch (err) {
        // Could not persist (disk full, read-only): stop every agent, then report.
        this.fail(err);
        await this.settle();
      }
      if (this.fatal) throw this.fatal;
      this.ingestInbox();
      return await this.finish();
    } finally {
      clearInterval(inboxTimer);
      this.saver.stop();
      await this.files?.stop();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.off("SIGHUP", onSignal);
      this.outputs.closeAll();
      this.watchdog.close();
    }
  }

  /** First signal: pause (agents get SIGINT/SIGTERM and time to stop). Second: stop them at once. */
  requestPause(): void {
    if (this.pausing) {
      this.forced = true;
      this.setup.reporter.warn("Stopping agents now…");
      for (const run of this.active.values()) run.kill.abort();
      return;
    }
    this.pausing = true;
    this.setup.reporter.warn(
      "\nPausing: stopping agents and saving (press Ctrl-C again to stop them at once)…",
    );
    for (const run of this.active.values()) run.stop.abort();
    this.wakeUp();
  }

  private async loop(): Promise<void> {
    const { journal } = this.setup;
    const maxParallel = journal.state.maxParallel;
    while (true) {
      if (this.fatal) {
        await this.settle();
        return;
      }
      if (!this.pausing) {
        // A task that just ended may have run `maos message send`: the next
        // turns must see it, not wait for the inbox poll.
        this.ingestInbox();
        const busy = new Set(
          [...this.active.values()].map((a) => a.task.agent),
        );
        const next = schedule(journal.state, busy, maxParallel);
        if (next.blocked.length > 0) {
          for (const { task, failedDependency } of next.blocked) {
            this.record({
              type: "task.status",
              task: task.id,
              status: "failed",
              summary: `not run: dependency '${failedDependency}' failed`,
            });
            this.settleAgent(task.agent);
          }
          await this.saver.save();
          continue;
        }
        for (const task of next.start) this.startTask(task);
      }
      if (this.active.size === 0) return;
      const woken = new Promise<void>((resolve) => (this.wakeUp = resolve));
      await Promise.race([
        woken,
        ...[...this.active.values()].map((a) => a.done),
      ]);
    }
  }

  private startTask(task: TaskState): void {
    const { journal, reporter } = this.setup;
    const agent = journal.state.agents.find((a) => a.id === task.agent);
    if (!agent) {
      throw new MaosError(`task ${task.id} names unknown agent ${task.agent}`);
    }
    const driver = this.setup.driverFor(agent.driver);
    if (this.setup.announceContinuing && !this.announced.has(agent.id)) {
      const verb = task.starts > 0 ? "Continuing" : "Starting";
      const session = agent.sessionId
        ? ` (session ${agent.sessionId.slice(0, 8)}…)`
        : "";
      reporter.line(`[${agent.id}]: ${verb} ${task.title}${session}`);
    }
    this.announced.add(agent.id);
    const resumeNote = task.resumeNote ?? undefined;
    this.record({ type: "task.status", task: task.id, status: "running" });
    if (agent.status !== "running") {
      this.record({ type: "agent.status", agent: agent.id, status: "running" });
    }

    const run: ActiveTask = {
      task,
      stop: new AbortController(),
      kill: new AbortController(),
      pids: [],
      lastLines: [],
      done: Promise.resolve(),
    };
    this.active.set(task.id, run);
    run.done = this.runOnDriver(
      driver,
      run,
      agent.sessionId ?? undefined,
      resumeNote,
    )
      .catch((err): TaskResult => ({
        status: "failed",
        summary: err instanceof Error ? err.message : String(err),
      }))
      .then((result) => this.taskEnded(run, result))
      .catch((err) => this.fail(err))
      .finally(() => {
        this.active.delete(task.id);
        this.wakeUp();
      });
  }

  private async runOnDriver(
    driver: AgentDriver,
    run: ActiveTask,
    sessionId: string | undefined,
    resumeNote: string | undefined,
  ): Promise<TaskResult> {
    const { journal } = this.setup;
    const agent = journal.state.agents.find((a) => a.id === run.task.agent)!;
    // Its worktree, with the work of the tasks it depends on merged in.
    const blocked = await this.files?.prepareTask(run.task);
    if (blocked) return { status: "failed", summary: blocked };
    // Taken once per turn: a fresh session after a lost one needs them too.
    const inbox = this.setup.bus.takeFor(agent.id);
    const attempt = (session: string | undefined, note: string | undefined) =>
      driver.run(buildTaskRun({
        state: journal.state,
        agent,
        task: run.task,
        inbox,
        cwd: this.files?.cwdFor(agent.id) ?? this.setup.cwd,
        maosDir: this.setup.maosDir,
        sessionId: session,
        resumeNote: note,
        extraTask: this.setup.extraTask,
        stop: run.stop.signal,
        kill: run.kill.signal,
        emit: (event) => this.onDriverEvent(run, event),
        onProcess: (pid) => {
          run.pids.push(pid);
          this.watchdog?.watch(pid);
        },
      }));
    try {
      const result = await attempt(sessionId, resumeNote);
      if (!result.sessionLost || run.stop.signal.aborted) return result;
      // The driver's session is gone (another machine, expired): start fresh, told what was done.
      this.record({ type: "agent.session", agent: agent.id, sessionId: null });
      this.setup.reporter.warn(
        `[${agent.id}] session ${
          sessionId ?? ""
        } not found here; starting a fresh session with the saved output`,
      );
      return await attempt(
        undefined,
        resumeNote ?? "(no output was saved before the interruption)",
      );
    } finally {
      for (const pid of run.pids) this.watchdog?.unwatch(pid);
    }
  }

  /**
   * Something could not be saved (disk full, read-only .maos): agents must
   * not keep working (and spending) unrecorded, so all are stopped at once.
   */
  private fail(err: unknown): void {
    if (this.fatal) return;
    this.fatal = err;
    for (const run of this.active.values()) run.kill.abort();
    this.wakeUp();
  }

  /** Wait until every running task has ended. */
  private async settle(): Promise<void> {
    while (this.active.size > 0) {
      await Promise.all([...this.active.values()].map((a) => a.done));
    }
  }

  private onDriverEvent(run: ActiveTask, event: DriverEvent): void {
    try {
      recordDriverEvent(
        this.sinks,
        run.task.id,
        run.task.agent,
        event,
        run.lastLines,
      );
    } catch (err) {
      this.fail(err);
    }
  }

  private async taskEnded(run: ActiveTask, result: TaskResult): Promise<void> {
    const task = run.task;
    if (
      result.status === "stopped" ||
      (this.pausing && result.status === "failed")
    ) {
      this.record({
        type: "task.status",
        task: task.id,
        status: "paused",
        summary: "paused",
        resumeNote: resumeNoteFrom(run.lastLines, task.resumeNote),
      });
      this.record({
        type: "agent.status",
        agent: task.agent,
        status: "paused",
      });
      await this.files?.taskEnded(task, "paused");
      return;
    }
    // Committed before the task counts as done: a dependant merges it.
    await this.files?.taskEnded(task, result.status);
    this.record({
      type: "task.status",
      task: task.id,
      status: result.status,
      // Messages and progress were delivered as such; a summary shows neither.
      summary: withoutMaosLines(result.summary) ||
        (result.status === "completed" ? "done" : "failed"),
    });
    this.settleAgent(task.agent);
    if (result.status === "completed") await this.autoCheckpoint();
    // Asked for, not waited for: when this was the last task, the final
    // save joins it and one snapshot is written instead of two.
    void this.saver.save();
  }

  /** After an agent's task ends: running again later, or done. */
  private settleAgent(agentId: string): void {
    const state = this.setup.journal.state;
    const tasks = state.tasks.filter((t) => t.agent === agentId);
    const open = tasks.some((t) =>
      t.status !== "completed" && t.status !== "failed"
    );
    const status: WorkStatus = open
      ? "pending"
      : tasks.some((t) => t.status === "failed")
      ? "failed"
      : "completed";
    const agent = state.agents.find((a) => a.id === agentId);
    if (agent && agent.status !== status) {
      this.record({ type: "agent.status", agent: agentId, status });
    }
  }

  private async autoCheckpoint(): Promise<void> {
    const { journal, config } = this.setup;
    // The checkpoint names every agent's files as they are now.
    await this.files?.save(
      [...this.active.values()].map((a) => a.task.agent),
      "checkpoint",
    );
    try {
      const checkpoint = await writeAutoCheckpoint(
        journal.paths,
        journal.state,
        config.checkpoints.keepAuto,
      );
      this.record({
        type: "checkpoint.created",
        checkpoint: checkpoint.id,
        name: checkpoint.name,
        auto: true,
      });
    } catch (err) {
      this.setup.reporter.warn(`auto-checkpoint failed: ${errorText(err)}`);
    }
  }

  private ingestInbox(): void {
    try {
      this.setup.bus.ingestInbox();
    } catch (err) {
      this.setup.reporter.warn(`could not read inbox.jsonl: ${errorText(err)}`);
    }
  }

  private async finish(): Promise<RunOutcome> {
    const { journal, reporter } = this.setup;
    await this.files?.stop();
    if (this.pausing) {
      const paused = journal.state.agents.filter((a) =>
        a.status === "paused"
      ).length;
      this.record({
        type: "orchestration.paused",
        reason: this.forced ? "forced stop" : "signal",
      });
      await this.saver.save();
      reporter.line(
        `⏸️ Orchestration paused. Resume with: maos orchestration resume ${
          journal.id.slice(0, 8)
        }`,
      );
      reporter.line(
        `💾 State saved. ${paused} agents paused, ${journal.state.messages} messages preserved.`,
      );
      return "paused";
    }
    const status = finalStatus(journal.state);
    if (status === "completed") {
      this.record({ type: "orchestration.completed" });
    } else {
      const failed = journal.state.tasks.filter((t) => t.status === "failed")
        .map((t) => t.id);
      this.record({
        type: "orchestration.failed",
        reason: `failed tasks: ${failed.join(", ")}`,
      });
    }
    await this.saver.save();
    if (this.saveError) throw this.saveError;
    return status;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
