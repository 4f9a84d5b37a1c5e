import { errorText, MaosError } from "../../store/errors.ts";
import type { Journal } from "../../store/journal.ts";
import type {
  Config,
  MaosEvent,
  NewEvent,
  TaskState,
} from "../../store/schema.ts";
import type {
  AgentDriver,
  DriverEvent,
  TaskResult,
} from "../drivers/driver.ts";
import { startWatchdog, type Watchdog } from "../drivers/watchdog.ts";
import { AgentOutputs } from "./agent_output.ts";
import { type EventSinks, recordDriverEvent } from "./driver_events.ts";
import { AutoSaver } from "./auto_save.ts";
import { FilesSaver } from "../workspace/files_save.ts";
import type { Workspace } from "../workspace/workspace.ts";
import type { MessageBus } from "./message_bus.ts";
import type { RunOutcome, RunReporter } from "./run_options.ts";
import { schedule } from "./scheduler.ts";
import { PauseSwitch } from "./pause_switch.ts";
import { InboxPoll } from "./inbox_poll.ts";
import {
  endTask,
  requestedCheckpoint,
  settleAgent,
  type TaskEndContext,
} from "./task_end.ts";
import { endRun } from "./run_end.ts";
import { budgetView } from "../queries/budget.ts";
import {
  type ActiveTask,
  noteActivity,
  openTurn,
  pauseTurn,
  runTurn,
} from "./turn_run.ts";
import { approvalWait, watchTurn } from "./turn_watch.ts";
import { resumeLine } from "./resume_tasks.ts";

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
  /** Checkpoints asked for through the inbox, being taken. */
  private readonly checkpointing = new Set<Promise<void>>();
  private readonly pause: PauseSwitch;
  private readonly inbox: InboxPoll;
  private readonly taskEnd: TaskEndContext;
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
    this.pause = new PauseSwitch({
      onPause: () => {
        for (const run of this.active.values()) {
          pauseTurn(run, this.pause.budget);
        }
        this.wakeUp();
      },
      onForce: () => {
        for (const run of this.active.values()) run.kill.abort();
      },
      warn: (text) => setup.reporter.warn(text),
    });
    this.inbox = new InboxPoll(
      setup.bus,
      (text) => setup.reporter.warn(text),
      // An answer to a waiting task's request lets it run again.
      () => this.wakeUp(),
    );
    setup.bus.onCheckpointRequest = (name, inboxEnd) => {
      const taking = requestedCheckpoint(this.taskEnd, name, inboxEnd);
      this.checkpointing.add(taking);
      void taking.finally(() => this.checkpointing.delete(taking));
    };
    this.taskEnd = {
      journal,
      config,
      reporter: setup.reporter,
      saver: this.saver,
      files: this.files,
      record: (event) => this.record(event),
      pausing: () => this.pause.pausing,
      runningAgents: () => [...this.active.values()].map((a) => a.task.agent),
      ingestInbox: () => this.inbox.ingestNow(),
    };
  }

  /** Append an event and show it; spending that reaches the budget pauses the run. */
  record(event: NewEvent): MaosEvent {
    const persisted = this.setup.journal.append(event);
    this.setup.reporter.event(persisted, this.setup.journal.state);
    if (event.type === "cost") this.checkBudget();
    return persisted;
  }

  /** At the budget: no new turn, running ones paused as on Ctrl-C (exit 5). */
  private checkBudget(): void {
    if (budgetView(this.setup.journal.state)?.reached) {
      this.pause.requestBudget();
    }
  }

  async execute(): Promise<RunOutcome> {
    this.pause.install();
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
    this.inbox.start();
    try {
      try {
        await this.loop();
      } catch (err) {
        // Could not persist (disk full, read-only): stop every agent, then report.
        this.fail(err);
        await this.settle();
      }
      if (this.fatal) throw this.fatal;
      this.inbox.ingestNow();
      await Promise.all([...this.checkpointing]);
      await this.files?.stop();
      return await endRun({
        journal: this.setup.journal,
        reporter: this.setup.reporter,
        saver: this.saver,
        record: (event) => this.record(event),
        pausing: this.pause.pausing,
        forced: this.pause.forced,
        budget: this.pause.budget,
        saveError: this.saveError,
      });
    } finally {
      this.inbox.stop();
      this.saver.stop();
      await this.files?.stop();
      this.pause.uninstall();
      this.outputs.closeAll();
      this.watchdog.close();
    }
  }

  /** First signal: pause (agents get SIGINT/SIGTERM and time to stop). Second: stop them at once. */
  requestPause(): void {
    this.pause.request();
  }

  private async loop(): Promise<void> {
    const { journal } = this.setup;
    const maxParallel = journal.state.maxParallel;
    while (true) {
      if (this.fatal) {
        await this.settle();
        return;
      }
      this.checkBudget();
      if (!this.pause.pausing) {
        // A task that just ended may have run `maos message send`: the next
        // turns must see it, not wait for the inbox poll.
        this.inbox.ingestNow();
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
            settleAgent(this.taskEnd, task.agent);
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
      reporter.line(resumeLine(agent, task));
    }
    this.announced.add(agent.id);
    const run = openTurn(
      journal.state,
      agent,
      task,
      (event) => this.record(event),
    );
    this.active.set(task.id, run);
    run.watch = watchTurn(
      this.setup.config,
      agent.id,
      reporter,
      run.stop,
      () => approvalWait(journal.state.approvals, task.id),
    );
    run.done = runTurn(
      {
        setup: this.setup,
        files: this.files,
        outputs: this.outputs,
        watchdog: this.watchdog,
        record: (event) => this.record(event),
        onEvent: (event) => this.onDriverEvent(run, event),
      },
      driver,
      run,
      agent.sessionId ?? undefined,
      task.resumeNote ?? undefined,
    )
      .catch((err): TaskResult => ({
        status: "failed",
        summary: errorText(err),
      }))
      .then((result) => {
        run.watch?.close();
        // Claude stopped itself at the --max-budget-usd it was given.
        if (result.budgetReached) this.pause.requestBudget();
        const timedOut = run.watch?.timedOut;
        return endTask(
          this.taskEnd,
          run.task,
          timedOut && !this.pause.pausing
            ? { status: "failed", summary: timedOut }
            : result,
          run.lastLines,
        );
      })
      .catch((err) => this.fail(err))
      .finally(() => {
        this.active.delete(task.id);
        run.token.remove();
        this.wakeUp();
      });
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
    run.watch?.activity(
      event.type === "activity" ? event.waitingFor : undefined,
    );
    if (event.type === "activity") noteActivity(run, event, this.pause.budget);
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
}
