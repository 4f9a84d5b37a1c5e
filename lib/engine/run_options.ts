import type {
  Isolation,
  MaosEvent,
  OrchestrationState,
} from "../../store/schema.ts";

/** Where the engine tells a person what happens; the CLI renders it. */
export interface RunReporter {
  /** A plain line for people (panel lines, `✓ Message bus restored`, pause notices). */
  line(text: string): void;
  /** Every event as it is persisted, with the state after it (for the live view). */
  event(event: MaosEvent, state: OrchestrationState): void;
  /** A line of an agent's raw output. */
  output(agentId: string, line: string): void;
  /**
   * The panel shown before a resume: request, status (as shown: a crashed
   * run is `interrupted`), created, agents, progress, time since last activity.
   */
  resumePanel(state: OrchestrationState, shownStatus: string): void;
  /** A warning for stderr (e.g. log scanned whole because logOffset did not match). */
  warn(text: string): void;
}

export interface StoreLocation {
  /** `--dir`, else MAOS_DIR, else found like git finds .git. */
  dir?: string;
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface OrchestrateOptions extends StoreLocation {
  request: string;
  planFile?: string;
  driver?: string;
  /** Roles for the default team (`--agents analyst,developer`). */
  agents?: string[];
  maxParallel?: number;
  saveIntervalSeconds?: number;
  /** `--isolation`: undefined = worktree in a git repository, else shared. */
  isolation?: Isolation;
  /** `--budget USD` / `--budget-tokens N`: over `budgetUsd`/`budgetTokens` in maos.json. */
  budget?: BudgetOptions;
  reporter: RunReporter;
}

/** A budget from the command line; either may be given alone. */
export interface BudgetOptions {
  usd?: number;
  tokens?: number;
}

export interface ResumeOptions extends StoreLocation {
  /** Id or unique prefix; undefined = the most recent paused or interrupted one. */
  id?: string;
  task?: string;
  /** `resume --budget`: the new total (what was set of the other kind stays). */
  budget?: BudgetOptions;
  reporter: RunReporter;
}

/** How a foreground run ended: the CLI maps it to the exit code. */
export type RunOutcome = "completed" | "failed" | "paused" | "budget";
