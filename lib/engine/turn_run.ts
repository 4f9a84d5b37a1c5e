/**
 * One turn of a task on its driver: its worktree prepared, the messages for
 * it taken from the bus, the driver run with what is left of the budget,
 * and, when the driver's session is gone, one fresh attempt told what was
 * done before.
 *
 * @module
 */
import type {
  AgentState,
  MaosEvent,
  NewEvent,
  OrchestrationState,
  TaskState,
} from "../../store/schema.ts";
import { decisionsNote } from "../approvals/told.ts";
import type {
  AgentDriver,
  DriverEvent,
  TaskResult,
} from "../drivers/driver.ts";
import type { Watchdog } from "../drivers/watchdog.ts";
import { budgetLeftUsd } from "../queries/budget.ts";
import type { FilesSaver } from "../workspace/files_save.ts";
import type { AgentOutputs } from "./agent_output.ts";
import type { RunSetup } from "./run.ts";
import { buildTaskRun } from "./task_run.ts";
import type { TurnWatch } from "./turn_watch.ts";
import { newTurnToken, type TurnToken } from "./agent_token.ts";

/** A task while its turn runs. */
export interface ActiveTask {
  task: TaskState;
  stop: AbortController;
  kill: AbortController;
  pids: number[];
  lastLines: string[];
  done: Promise<void>;
  /** MAOS_AGENT_TOKEN of this turn (hash in its `running` event, file removed at its end). */
  token: TurnToken;
  /** What a person decided on its requests, told at the start of this turn. */
  told?: string;
  /** Its stall notice and time limit. */
  watch?: TurnWatch;
  /** A model answer is streaming: a budget pause waits for its end (it is paid for). */
  answering?: boolean;
  /** The driver said the turn's last answer came: a budget pause lets it end. */
  finishing?: boolean;
}

/**
 * The start of a turn: the decisions it will be told are taken before
 * `running` is logged (the fold then marks them told), and the turn gets
 * its secret, whose hash the `running` event carries: its processes prove
 * with it that they speak for the agent.
 */
export function openTurn(
  state: OrchestrationState,
  agent: AgentState,
  task: TaskState,
  record: (event: NewEvent) => MaosEvent,
): ActiveTask {
  const told = decisionsNote(state, task.id);
  const token = newTurnToken();
  record({
    type: "task.status",
    task: task.id,
    status: "running",
    tokenHash: token.hash,
  });
  if (agent.status !== "running") {
    record({ type: "agent.status", agent: agent.id, status: "running" });
  }
  return {
    task,
    stop: new AbortController(),
    kill: new AbortController(),
    pids: [],
    lastLines: [],
    done: Promise.resolve(),
    token,
    told,
  };
}

/** What a turn needs from the run. */
export interface TurnContext {
  setup: RunSetup;
  files: FilesSaver | undefined;
  /** agents/<id>.jsonl: what preparing the worktree prints is the task's output too. */
  outputs: AgentOutputs;
  watchdog: Watchdog | undefined;
  record(event: NewEvent): MaosEvent;
  onEvent(event: DriverEvent): void;
}

export async function runTurn(
  ctx: TurnContext,
  driver: AgentDriver,
  run: ActiveTask,
  sessionId: string | undefined,
  resumeNote: string | undefined,
): Promise<TaskResult> {
  const { setup, files, watchdog } = ctx;
  const { journal } = setup;
  const agent = journal.state.agents.find((a) => a.id === run.task.agent)!;
  // Its worktree, with the work of the tasks it depends on merged in.
  const blocked = await files?.prepareTask(run.task, {
    // Saved with the task's output and shown like it (never parsed for ::maos:: lines).
    output: (line) => {
      ctx.outputs.append(agent.id, run.task.id, line);
      setup.reporter.output(agent.id, line);
    },
    onProcess: (pid) => watchdog?.watch(pid),
    onExit: (pid) => watchdog?.unwatch(pid),
    signal: run.stop.signal,
    env: {
      MAOS_DIR: setup.maosDir,
      MAOS_ORCHESTRATION_ID: journal.id,
      MAOS_AGENT_ID: agent.id,
      MAOS_TASK_ID: run.task.id,
    },
  });
  if (blocked) return { status: "failed", summary: blocked };
  // Taken once per turn: a fresh session after a lost one needs them too.
  const { inbox, earlier } = setup.bus.takeTurnInbox(agent.id);
  const attempt = (session: string | undefined, note: string | undefined) =>
    driver.run(buildTaskRun({
      state: journal.state,
      agent,
      task: run.task,
      inbox,
      inboxEarlier: earlier,
      cwd: files?.cwdFor(agent.id) ?? setup.cwd,
      maosDir: setup.maosDir,
      agentToken: run.token,
      sessionId: session,
      resumeNote: note,
      extraTask: setup.extraTask,
      told: run.told,
      config: setup.config,
      budgetLeftUsd: budgetLeftUsd(journal.state),
      stop: run.stop.signal,
      kill: run.kill.signal,
      emit: ctx.onEvent,
      onProcess: (pid) => {
        run.pids.push(pid);
        watchdog?.watch(pid);
      },
    }));
  try {
    const result = await attempt(sessionId, resumeNote);
    if (!result.sessionLost || run.stop.signal.aborted) return result;
    // The driver's session is gone (another machine, expired): start fresh, told what was done.
    ctx.record({ type: "agent.session", agent: agent.id, sessionId: null });
    setup.reporter.warn(
      `[${agent.id}] session ${
        sessionId ?? ""
      } not found here; starting a fresh session with the saved output`,
    );
    return await attempt(
      undefined,
      resumeNote ?? "(no output was saved before the interruption)",
    );
  } finally {
    for (const pid of run.pids) watchdog?.unwatch(pid);
  }
}

/**
 * Track the model answer in flight. A budget pause waits for an answer being
 * streamed (its input is paid for) and stops the turn when it is complete,
 * unless it was the turn's last (the turn then ends by itself).
 */
export function noteActivity(
  run: ActiveTask,
  event: Extract<DriverEvent, { type: "activity" }>,
  budgetPause: boolean,
): void {
  if (event.finishing) run.finishing = true;
  if (event.answering === undefined) return;
  run.answering = event.answering;
  // Another answer after the "last" one: the turn goes on after all.
  if (event.answering) run.finishing = false;
  if (!event.answering && budgetPause && !run.finishing) run.stop.abort();
}

/** How long a budget pause waits for an answer in flight before it stops the turn anyway. */
export const BUDGET_ANSWER_GRACE_MS = 30_000;

/**
 * Pause one turn (SIGINT with its grace). At the budget an answer being
 * streamed is finished first (its input is paid for), and a turn whose last
 * answer came ends by itself; a stalled answer is stopped after a grace.
 */
export function pauseTurn(run: ActiveTask, budget: boolean): void {
  if (!(budget && (run.answering || run.finishing))) {
    run.stop.abort();
    return;
  }
  const timer = setTimeout(() => run.stop.abort(), BUDGET_ANSWER_GRACE_MS);
  void run.done.finally(() => clearTimeout(timer));
}
