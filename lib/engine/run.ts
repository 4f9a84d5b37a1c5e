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
import { buildTaskRun } from "./task_run.ts";
import { newTurnToken, type TurnToken } from "./agent_token.ts";
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

interface ActiveTask {
  task: TaskState;
  stop: AbortController;
  kill: AbortController;
  pids: number[];
  lastLines: string[];
  done: Promise<void>;
  /** MAOS_AGENT_TOKEN of this turn (hash in its `running` event, file removed at its end). */
  token: TurnToken;
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
        for (const run of this.active.values()) run.stop.abort();
        this.wakeUp();
      },
      onForce: () => {
        for (const run of this.active.values()) run.kill.abort();
      },
      warn: (text) => setup.reporter.warn(text),
    });
    this.inbox = new InboxPoll(setup.bus, (text) => setup.reporter.warn(text));
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
    };
  }

  /** Append an event and show it. */
  record(event: NewEvent): MaosEvent {
    const persisted = this.setup.journal.append(event);
    this.setup.reporter.event(persisted, this.setup.journal.state);
    return persisted;
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
    const resumeNote = task.resumeNote ?? undefined;
    // This turn's secret: its processes prove with it that they speak for the agent.
    const token = newTurnToken();
    const tokenHash = token.hash;
    this.record({
      type: "task.status",
      task: task.id,
      status: "running",
      tokenHash,
    });
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
      token,
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
        summary: errorText(err),
      }))
      .then((result) => endTask(this.taskEnd, run.task, result, run.lastLines))
      .catch((err) => this.fail(err))
      .finally(() => {
        this.active.delete(task.id);
        run.token.remove();
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
    const blocked = await this.files?.prepareTask(run.task, {
      // Saved with the task's output and shown like it (never parsed for ::maos:: lines).
      output: (line) => {
        this.outputs.append(agent.id, run.task.id, line);
        this.setup.reporter.output(agent.id, line);
      },
      onProcess: (pid) => this.watchdog?.watch(pid),
      onExit: (pid) => this.watchdog?.unwatch(pid),
      signal: run.stop.signal,
      env: {
        MAOS_DIR: this.setup.maosDir,
        MAOS_ORCHESTRATION_ID: journal.id,
        MAOS_AGENT_ID: agent.id,
        MAOS_TASK_ID: run.task.id,
      },
    });
    if (blocked) return { status: "failed", summary: blocked };
    // Taken once per turn: a fresh session after a lost one needs them too.
    const { inbox, earlier } = this.setup.bus.takeTurnInbox(agent.id);
    const attempt = (session: string | undefined, note: string | undefined) =>
      driver.run(buildTaskRun({
        state: journal.state,
        agent,
        task: run.task,
        inbox,
        inboxEarlier: earlier,
        cwd: this.files?.cwdFor(agent.id) ?? this.setup.cwd,
        maosDir: this.setup.maosDir,
        agentToken: run.token,
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
}
