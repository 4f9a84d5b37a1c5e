import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command, Option } from "@commander-js/extra-typings";
import { findOrCreateMaosDir } from "../../store/config.ts";
import { ExitCode, MaosError } from "../../store/errors.ts";
import { newId } from "../../store/ids.ts";
import { MaosPaths, requireMaosDir } from "../../store/paths.ts";
import { DRIVER_NAMES } from "../drivers/registry.ts";
import { keepRunningWhenPipesClose } from "./closed_pipes.ts";
import { orchestrate } from "../engine/orchestrator.ts";
import { orchestrationStatus } from "../queries/queries.ts";
import type { OrchestrateOptions, RunOutcome } from "../engine/run_options.ts";
import {
  examples,
  intArg,
  listArg,
  secondsArg,
  shortId,
  sleep,
} from "./_util.ts";
import { selfCommand } from "./_self.ts";
import {
  type CliContext,
  contextOf,
  printJson,
  storePaths,
} from "./context.ts";
import { mergeOrchestration } from "../workspace/merge_back.ts";
import { reportMerge } from "./orchestration_merge.ts";
import { LiveView } from "./live_view.ts";
import { BUDGET_HELP, budgetFrom, tokensArg, usdArg } from "./budget_flags.ts";

/** Set by a detaching parent: the id its background child must use. */
export const NEW_ID_ENV = "MAOS_NEW_ORCHESTRATION_ID";

/** How long `--detach` waits to see the orchestration created before printing its id anyway. */
const DETACH_WAIT_MS = 10_000;

interface OrchestrateFlags {
  plan?: string;
  driver?: string;
  agents?: string[];
  maxParallel?: number;
  saveInterval?: number;
  isolation?: "worktree" | "shared";
  merge?: boolean;
  detach?: boolean;
  budget?: number;
  budgetTokens?: number;
}

export function orchestrateCommand() {
  const cmd = new Command("orchestrate")
    .description(
      "plan a request into tasks and run a team of agents on it, in the foreground " +
        "(Ctrl-C pauses; exit 0 completed, 1 failed, 5 paused at the budget, 130 paused)",
    )
    .argument("<request>", "what the team should do")
    .option("--plan <file>", "plan file (JSON or YAML) with agents and tasks")
    .addOption(
      new Option(
        "--driver <name>",
        "agent driver (default: drivers.default in maos.json, else from the plan or claude)",
      )
        .choices(DRIVER_NAMES),
    )
    .option(
      "--agents <roles>",
      "roles of the default team, comma-separated",
      listArg,
    )
    .option(
      "--max-parallel <n>",
      "run at most this many agents at once",
      intArg(1),
    )
    .option(
      "--save-interval <seconds>",
      "auto-save the snapshot this often",
      secondsArg,
    )
    .addOption(
      new Option(
        "--isolation <mode>",
        "worktree: each agent in its own git worktree and branch (default in a git repository); shared: all in this directory",
      ).choices(["worktree", "shared"] as const),
    )
    .option(
      "--merge",
      "when it completes, merge the agents' branches into the branch checked out here",
    )
    .option("--budget <usd>", BUDGET_HELP.usd, usdArg)
    .option("--budget-tokens <n>", BUDGET_HELP.tokens, tokensArg)
    .option("--detach", "run in the background and print the id")
    .action(async (request, flags, command) => {
      const ctx = contextOf(command);
      if (flags.detach) return await detach(ctx, request, flags);
      const view = liveView(ctx, true);
      // Given by a detaching parent: the engine creates the orchestration
      // under this id (read from options.env); agents must not inherit it.
      const presetId = process.env[NEW_ID_ENV];
      delete process.env[NEW_ID_ENV];
      const options: OrchestrateOptions = {
        ...ctx.location,
        env: presetId
          ? { ...process.env, [NEW_ID_ENV]: presetId }
          : process.env,
        request,
        planFile: flags.plan,
        driver: flags.driver,
        agents: flags.agents,
        maxParallel: flags.maxParallel,
        saveIntervalSeconds: flags.saveInterval,
        isolation: flags.isolation,
        budget: budgetFrom(flags),
        reporter: view,
      };
      const outcome = await orchestrate(options);
      finishRun(ctx, view, outcome);
      if (flags.merge && outcome === "completed" && view.orchestrationId) {
        const result = await mergeOrchestration(
          storePaths(ctx),
          view.orchestrationId,
        );
        // With --json, stdout holds the status only; it shows what is merged.
        if (!ctx.json) reportMerge(ctx, result);
      }
    });
  return examples(cmd, [
    'maos orchestrate "Add input validation to the signup form"',
    'maos orchestrate "Audit this repository" --plan examples/audit.yaml',
    'maos orchestrate "Write release notes" --driver claude --agents analyst,writer --max-parallel 2',
    'maos orchestrate "Nightly audit" --plan audit.yaml --detach',
    'maos orchestrate "Refactor the auth module" --budget 5',
    'maos --json orchestrate "Run the checks" --plan checks.json > result.json',
  ]);
}

/** The live view for a foreground run: stdout, or stderr when stdout is for JSON. */
export function liveView(ctx: CliContext, progress: boolean): LiveView {
  // A foreground run goes on when its output pipe closes (closed_pipes.ts).
  keepRunningWhenPipesClose();
  const sink = ctx.json ? process.stderr : process.stdout;
  return new LiveView({
    sink,
    warnSink: process.stderr,
    color: ctx.json ? ctx.stderrColor : ctx.color,
    progress,
    quiet: ctx.quiet,
  });
}

/** Print how a run ended (and the status JSON with --json); set the exit code. */
export function finishRun(
  ctx: CliContext,
  view: LiveView,
  outcome: RunOutcome,
): void {
  view.finish(outcome);
  if (ctx.json && view.orchestrationId) {
    const paths = new MaosPaths(requireMaosDir(ctx.location));
    printJson(ctx, orchestrationStatus(paths, view.orchestrationId));
  }
  process.exitCode = outcome === "completed"
    ? ExitCode.ok
    : outcome === "failed"
    ? ExitCode.failed
    : outcome === "budget"
    ? ExitCode.budget
    : ExitCode.paused;
}

/**
 * Start the same command in the background with a pre-chosen id, wait until
 * the orchestration exists (or the child fails early), and print the id.
 */
async function detach(
  ctx: CliContext,
  request: string,
  flags: OrchestrateFlags,
): Promise<void> {
  const root = await findOrCreateMaosDir(ctx.location);
  const paths = new MaosPaths(root);
  const id = newId();
  // The child gets the same request and flags (minus --detach), spelled out,
  // and the store found here, so it cannot pick another one.
  const args = ["--dir", root, "--no-color", "orchestrate", request];
  if (flags.plan) {
    args.push("--plan", path.resolve(ctx.location.cwd, flags.plan));
  }
  if (flags.driver) args.push("--driver", flags.driver);
  if (flags.agents) args.push("--agents", flags.agents.join(","));
  if (flags.maxParallel) args.push("--max-parallel", String(flags.maxParallel));
  if (flags.saveInterval) {
    args.push("--save-interval", String(flags.saveInterval));
  }
  if (flags.isolation) args.push("--isolation", flags.isolation);
  if (flags.merge) args.push("--merge");
  if (flags.budget) args.push("--budget", String(flags.budget));
  if (flags.budgetTokens) {
    args.push("--budget-tokens", String(flags.budgetTokens));
  }
  const logFile = path.join(os.tmpdir(), `maos-${id}.log`);
  const logFd = fs.openSync(logFile, "a", 0o600);
  const [exec, ...pre] = selfCommand();
  const child = spawn(exec, [...pre, ...args], {
    cwd: ctx.location.cwd,
    detached: true,
    stdio: ["ignore", logFd, logFd],
    env: { ...process.env, [NEW_ID_ENV]: id },
  });
  fs.closeSync(logFd);
  let exited: number | null | undefined;
  child.on("exit", (code, signal) => {
    exited = code ?? (signal ? 128 : 1);
  });
  child.on("error", () => {
    exited = 1;
  });
  child.unref();

  const deadline = Date.now() + DETACH_WAIT_MS;
  while (
    exited === undefined && !fs.existsSync(paths.state(id)) &&
    Date.now() < deadline
  ) {
    await sleep(50);
  }
  if (exited !== undefined && !fs.existsSync(paths.state(id))) {
    throw childFailure(logFile, exited);
  }
  const started = fs.existsSync(paths.state(id));
  if (ctx.json) {
    printJson(ctx, { id, pid: child.pid ?? null, log: logFile, started });
  } else {
    ctx.out(id);
  }
  ctx.note(
    `🚀 Orchestration ${shortId(id)} ${
      started ? "is running" : "is starting"
    } in the background (pid ${child.pid}).\n` +
      `Follow it:  maos orchestration status ${shortId(id)} --watch\n` +
      `Messages:   maos message list ${shortId(id)} --follow\n` +
      `Output log: ${logFile}`,
  );
}

/** The error a detached child printed (`maos: …` / `hint: …`), as our own. */
function childFailure(logFile: string, code: number | null): MaosError {
  let text = "";
  try {
    text = fs.readFileSync(logFile, "utf8");
  } catch { /* nothing logged */ }
  // Everything useful in it is in the error now.
  fs.rmSync(logFile, { force: true });
  const message = /^maos: (.*)$/m.exec(text)?.[1];
  const hint = /^hint: (.*)$/m.exec(text)?.[1];
  const exitCode = (code === 2 || code === 3 || code === 4 ? code : 1) as
    | 1
    | 2
    | 3
    | 4;
  return new MaosError(
    message ??
      `the background orchestration exited (code ${code}) before it started`,
    exitCode,
    hint ??
      (message ? undefined : text.trim().split("\n").slice(-3).join(" / ")),
  );
}
