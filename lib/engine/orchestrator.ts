import {
  checkConfigPermissions,
  unhonouredPermissions,
} from "../approvals/permissions.ts";
import * as fs from "node:fs";
import * as path from "node:path";
import { findOrCreateMaosDir, loadConfig } from "../../store/config.ts";
import { usageError } from "../../store/errors.ts";
import { readRecentEvents } from "../../store/event_log.ts";
import { newId } from "../../store/ids.ts";
import { Journal } from "../../store/journal.ts";
import { findMaosDir, MaosPaths, requireMaosDir } from "../../store/paths.ts";
import type { Config, MaosEvent, Plan } from "../../store/schema.ts";
import {
  defaultConfig,
  MAX_SAVE_INTERVAL_SECONDS,
} from "../../store/schema.ts";
import { addFollowUpTask, prepareTasksForResume } from "./resume_tasks.ts";
import { createDriverFactory } from "./driver_factory.ts";
import {
  BUS_WINDOW,
  deliveredThrough,
  MessageBus,
  toInboxMessage,
} from "./message_bus.ts";
import { loadPlanFile } from "./planner.ts";
import { OrchestrationRun } from "./run.ts";
import { planFor } from "./plan_request.ts";
import {
  budgetStartLine,
  checkBudgetOptions,
  initialBudget,
  resumedBudget,
} from "./budget_guard.ts";
import type {
  OrchestrateOptions,
  ResumeOptions,
  RunOutcome,
  RunReporter,
} from "./run_options.ts";
import { foldEvent } from "../queries/state_fold.ts";
import { chooseResumable } from "../queries/choose.ts";
import { chooseIsolation } from "../workspace/isolation.ts";
import { Workspace } from "../workspace/workspace.ts";
import { requireWorkToResume } from "../workspace/clone_check.ts";

/** Plan and run an orchestration in the foreground until it ends or is paused. */
export async function orchestrate(
  options: OrchestrateOptions,
): Promise<RunOutcome> {
  const request = options.request.trim();
  if (!request) {
    throw usageError(
      "the request is empty",
      'say what to do: maos orchestrate "Refactor the auth module"',
    );
  }
  if (
    options.maxParallel !== undefined &&
    (!Number.isInteger(options.maxParallel) || options.maxParallel < 1)
  ) {
    throw usageError(
      `--max-parallel must be a whole number ≥ 1, got ${options.maxParallel}`,
    );
  }
  if (
    options.saveIntervalSeconds !== undefined &&
    !(options.saveIntervalSeconds >= 1 &&
      options.saveIntervalSeconds <= MAX_SAVE_INTERVAL_SECONDS)
  ) {
    throw usageError(
      `--save-interval must be between 1 and ${MAX_SAVE_INTERVAL_SECONDS} seconds, got ${options.saveIntervalSeconds}`,
    );
  }
  checkBudgetOptions(options.budget);
  const filePlan = options.planFile
    ? loadPlanFile(path.resolve(options.cwd, options.planFile))
    : undefined;
  // Settings from an existing .maos/, but nothing is created before the
  // driver is known to be usable.
  const existing = findMaosDir(options);
  const config = existing && fs.existsSync(existing)
    ? await loadConfig(new MaosPaths(existing))
    : defaultConfig();
  checkConfigPermissions(config);
  const driver = options.driver ?? config.drivers.default ??
    (filePlan ? defaultDriverFor(filePlan) : "claude");
  const drivers = createDriverFactory(config, options.env);
  // Before anything is created: the CLIs the agents will use (the default
  // driver's only when an agent uses it; a plan file already named any
  // unknown driver, see validatePlan).
  const used = filePlan
    ? new Set(filePlan.agents.map((a) => a.driver ?? driver))
    : new Set([driver]);
  for (const name of used) drivers.preflight(name);
  if (!filePlan && driver === "shell") {
    // The default team's tasks have no `run`: every one would fail.
    throw usageError(
      "the shell driver runs each task's `run` command, and without --plan no task has one",
      'give a plan file: maos orchestrate "…" --plan plan.yaml (see examples/audit.yaml), or an AI driver: --driver claude',
    );
  }
  // Decided before .maos/ is made: `--isolation worktree` outside a repository writes nothing.
  const rootToBe = existing ?? path.join(options.cwd, ".maos");
  const isolation = await chooseIsolation(
    path.dirname(rootToBe),
    rootToBe,
    options.isolation,
  );
  const root = await findOrCreateMaosDir(options);
  const paths = new MaosPaths(root);
  const planned = filePlan
    ? { plan: filePlan }
    : await planFor(request, driver, drivers, options, root, config);
  const plan = planned.plan;
  const resolvedPlan: Plan = {
    ...plan,
    agents: plan.agents.map((a) => ({ ...a, driver: a.driver ?? driver })),
  };
  // Fail before anything is written when a driver is unknown or its CLI is missing.
  for (const name of new Set(resolvedPlan.agents.map((a) => a.driver!))) {
    drivers.preflight(name);
  }

  const id = options.env.MAOS_NEW_ORCHESTRATION_ID ?? newId();
  const journal = await Journal.create(
    paths,
    id,
    {
      type: "orchestration.created",
      id,
      request,
      driver,
      maxParallel: options.maxParallel ??
        Math.min(resolvedPlan.agents.length, 4),
      plan: resolvedPlan,
      isolation: { mode: isolation.mode, base: isolation.base },
    },
    foldEvent,
    config.durability,
    `maos orchestrate`,
  );
  const { reporter } = options;
  try {
    if (options.saveIntervalSeconds !== undefined) {
      journal.append({
        type: "orchestration.settings",
        saveIntervalSeconds: options.saveIntervalSeconds,
      });
    }
    const budget = initialBudget(options.budget, config);
    if (budget) journal.append(budget);
    // What asking for the plan cost counts like any turn (and against the budget).
    if (planned.spent) {
      journal.append({
        type: "cost",
        agent: "planner",
        planner: true,
        ...planned.spent,
      });
    }
    const started = journal.append({ type: "orchestration.started" });
    reporter.event(started, journal.state);
    const simulated = resolvedPlan.agents.some((a) =>
      drivers.get(a.driver!).simulated
    );
    reporter.line(
      `🚀 Orchestration ${id.slice(0, 8)}: ${
        count(resolvedPlan.agents.length, "agent")
      }, ${count(resolvedPlan.tasks.length, "task")} ` +
        `(driver: ${driver}${simulated ? ", simulated agents" : ""})`,
    );
    for (const note of isolation.notes) {
      reporter.line(note.replace("<id8>", id.slice(0, 8)));
    }
    const limit = budgetStartLine(journal.state);
    if (limit) reporter.line(limit);
    return await runToEnd(journal, config, reporter, drivers, root);
  } finally {
    await journal.close();
  }
}

/** Resume a paused or interrupted (or failed) orchestration from its files alone. */
export async function resume(options: ResumeOptions): Promise<RunOutcome> {
  const root = requireMaosDir(options);
  const paths = new MaosPaths(root);
  const config = await loadConfig(paths);
  checkConfigPermissions(config);
  const id = chooseResumable(paths, options.id);
  const journal = Journal.open(
    paths,
    id,
    foldEvent,
    config.durability,
    "maos orchestration resume",
  );
  const { reporter } = options;
  try {
    const before = journal.state;
    if (journal.opened.tornBytes > 0) {
      reporter.warn(
        `cut a torn last line (${journal.opened.tornBytes} bytes) from events.jsonl`,
      );
    }
    if (!journal.opened.hintMatched) {
      reporter.warn(
        "state.json's logOffset did not match events.jsonl (rewritten?): scanned the whole log",
      );
    }
    if (before.status === "completed" && !options.task) {
      reporter.line(
        `✅ Orchestration ${
          id.slice(0, 8)
        } is already completed; nothing to resume.`,
      );
      return "completed";
    }
    const drivers = createDriverFactory(config, options.env);
    for (const name of new Set(before.agents.map((a) => a.driver))) {
      drivers.preflight(name);
    }
    checkBudgetOptions(options.budget);
    const budget = resumedBudget(options.budget, before);
    // Work the log names but this clone lacks is never dropped by starting over.
    await requireWorkToResume(path.dirname(root), before);

    const shownStatus = before.status === "running"
      ? "interrupted"
      : before.status;
    reporter.resumePanel(before, shownStatus);

    // The turns within the window of recent messages say which of those
    // messages each agent has already seen (read newest first).
    const turns: MaosEvent[] = [];
    const history = readRecentEvents(
      paths.events(id),
      BUS_WINDOW,
      (e) => {
        if (e.type === "task.status" || e.type === "checkpoint.restored") {
          turns.push(e);
        }
        return e.type === "message";
      },
    )
      .map((e) => toInboxMessage(e, id)).filter((m) => m !== null);
    const agentOf = new Map(before.tasks.map((t) => [t.id, t.agent]));
    const bus = new MessageBus(
      journal,
      (event) => reporter.event(event, journal.state),
      history,
      deliveredThrough(turns.reverse(), (task) => agentOf.get(task)),
      config.messages.maxInlineBytes,
    );
    const ingested = bus.ingestInbox({ noLiveTurn: true });
    reporter.line(
      `✓ Message bus restored${
        ingested ? ` (${ingested} new from the inbox)` : ""
      }`,
    );
    const agents = before.agents.length;
    reporter.line(`✓ ${agents} agent${agents === 1 ? "" : "s"} restored`);
    const n = journal.state.messages;
    reporter.line(`✓ Loaded ${n} message${n === 1 ? "" : "s"}`);

    prepareTasksForResume(journal, before);
    if (budget) journal.append(budget);
    const limit = budgetStartLine(journal.state);
    if (limit) reporter.line(limit);
    if (options.task) addFollowUpTask(journal, options.task);
    const resumed = journal.append({
      type: "orchestration.resumed",
      ...(options.task ? { task: options.task } : {}),
    });
    reporter.event(resumed, journal.state);
    await journal.snapshot();
    return await runToEnd(
      journal,
      config,
      reporter,
      drivers,
      root,
      bus,
      options.task,
      true,
    );
  } finally {
    await journal.close();
  }
}

async function runToEnd(
  journal: Journal,
  config: Config,
  reporter: RunReporter,
  drivers: ReturnType<typeof createDriverFactory>,
  root: string,
  bus?: MessageBus,
  extraTask?: string,
  announceContinuing = false,
): Promise<RunOutcome> {
  for (const line of unhonouredPermissions(journal.state.agents)) {
    reporter.warn(line);
  }
  const workspace = await Workspace.open(path.dirname(root), journal.state);
  const run = new OrchestrationRun({
    journal,
    bus: bus ??
      new MessageBus(
        journal,
        (event) => reporter.event(event, journal.state),
        [],
        new Map(),
        config.messages.maxInlineBytes,
      ),
    config,
    reporter,
    driverFor: (name) => drivers.get(name),
    cwd: path.dirname(root),
    maosDir: root,
    extraTask,
    announceContinuing,
    workspace,
  });
  const outcome = await run.execute();
  if (workspace && outcome !== "paused" && outcome !== "budget") {
    const id8 = journal.id.slice(0, 8);
    reporter.line(
      `🌳 The agents' work is on branches maos/${id8}/<agent>: see it with maos orchestration status ${id8}, bring it in with maos orchestration merge ${id8}`,
    );
  }
  return outcome;
}

function defaultDriverFor(plan: Plan): string {
  const named = new Set(plan.agents.map((a) => a.driver));
  const [only] = named;
  if (named.size === 1 && only) return only;
  return plan.tasks.every((t) => t.run) ? "shell" : "claude";
}

/** `1 agent`, `3 agents`. */
function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
