import * as path from "node:path";
import { Command, Option } from "@commander-js/extra-typings";
import { withAgentFiles } from "../workspace/agent_files.ts";
import { mergeCommand, removeCommand } from "./orchestration_merge.ts";
import { diffCommand, discardCommand } from "./orchestration_work.ts";
import { usageError } from "../../store/errors.ts";
import { resume } from "../engine/orchestrator.ts";
import { BUDGET_HELP, budgetFrom, tokensArg, usdArg } from "./budget_flags.ts";
import {
  LISTED_STATUSES,
  type OrchestrationStatus,
  orchestrationStatus,
} from "../queries/queries.ts";
import { chooseOrchestration, chooseResumable } from "../queries/choose.ts";
import { listOrchestrations } from "../queries/queries.ts";
import { colors } from "../ui/mod.ts";
import {
  examples,
  intArg,
  interruptSignal,
  secondsArg,
  shortId,
  sleep,
} from "./_util.ts";
import {
  type CliContext,
  contextOf,
  printJson,
  storePaths,
} from "./context.ts";
import { finishRun, liveView } from "./orchestrate.ts";
import { addOrchestrationExtraCommands } from "./orchestration_extra.ts";
import { reportCommand } from "./report.ts";
import { renderOrchestrationList, renderStatus } from "./render.ts";
import { reportDamaged } from "./damaged_note.ts";

// Clear the screen and home the cursor (only on a terminal).
const CLEAR_SCREEN = "\x1b[2J\x1b[H";

/** `maos orchestration …`: list, status, resume (+ checkpoint, save-interval, export, import). */
export function orchestrationCommand() {
  const cmd = new Command("orchestration")
    .description("list, inspect and resume orchestrations");
  examples(cmd, [
    "maos orchestration list",
    "maos orchestration status a1b2 --watch",
    "maos orchestration resume",
  ]);
  cmd.addCommand(listCommand());
  cmd.addCommand(statusCommand());
  cmd.addCommand(resumeCommand());
  addOrchestrationExtraCommands(cmd);
  cmd.addCommand(diffCommand());
  cmd.addCommand(mergeCommand());
  cmd.addCommand(discardCommand());
  cmd.addCommand(removeCommand());
  cmd.addCommand(reportCommand());
  return cmd;
}

function listCommand() {
  const cmd = new Command("list")
    .description("orchestrations in this .maos/, newest first")
    .addOption(
      new Option("--status <status>", "only orchestrations with this status")
        .choices(LISTED_STATUSES),
    )
    .option("--limit <n>", "show at most this many", intArg(1))
    .action((flags, command) => {
      const ctx = contextOf(command);
      const paths = storePaths(ctx);
      const rows = listOrchestrations(paths, {
        status: flags.status,
        limit: flags.limit,
        onWarning: ctx.warn,
      });
      reportDamaged(ctx, rows);
      if (ctx.json) return printJson(ctx, rows);
      if (rows.length === 0) {
        ctx.out(
          flags.status
            ? `No ${flags.status} orchestrations.`
            : 'No orchestrations yet. Start one with: maos orchestrate "…"',
        );
        return;
      }
      ctx.out(renderOrchestrationList(rows, new Date()));
      const resumable = rows.find((o) =>
        o.status === "paused" || o.status === "interrupted"
      );
      if (resumable) {
        ctx.note(
          colors().yellow(
            `Resume with: maos orchestration resume ${shortId(resumable.id)}`,
          ),
        );
      }
    });
  return examples(cmd, [
    "maos orchestration list",
    "maos orchestration list --status interrupted",
    "maos orchestration list --limit 5 --json",
  ]);
}

function statusCommand() {
  const cmd = new Command("status")
    .description(
      "progress, agents, tasks, recent messages and cost of one orchestration " +
        "(default: the newest)",
    )
    .argument("[id]", "orchestration id or unique prefix (4+ characters)")
    .option("--agents", "show the agent table")
    .option("--messages", "show the recent messages (last 20)")
    .option(
      "--watch",
      "refresh until it ends (Ctrl-C to stop watching); with --json, one " +
        "JSON object per line, one line per refresh",
    )
    .option(
      "--interval <seconds>",
      "refresh interval for --watch",
      secondsArg,
      2,
    )
    .action(async (idArg, flags, command) => {
      if (!flags.watch && command.getOptionValueSource("interval") === "cli") {
        throw usageError(
          "--interval only applies with --watch",
          "add --watch: " + [
            "maos orchestration status",
            idArg,
            `--watch --interval ${flags.interval}`,
          ].filter(Boolean).join(" "),
        );
      }
      const ctx = contextOf(command);
      const paths = storePaths(ctx);
      const id = chooseOrchestration(paths, idArg);
      const onlySome = Boolean(flags.agents || flags.messages);
      const sections = {
        agents: !onlySome || Boolean(flags.agents),
        tasks: !onlySome,
        messages: !onlySome || Boolean(flags.messages),
      };
      const read = () =>
        withAgentFiles(
          path.dirname(paths.root),
          orchestrationStatus(paths, id, {
            messages: flags.messages ? 20 : onlySome ? 0 : 5,
            onWarning: ctx.warn,
          }),
        );
      if (!flags.watch) return show(ctx, await read(), sections, false);
      const stop = interruptSignal();
      try {
        while (!stop.signal.aborted) {
          const status = await read();
          show(ctx, status, sections, true);
          if (status.status !== "running") break;
          await sleep(flags.interval * 1000, stop.signal);
        }
      } finally {
        stop.dispose();
      }
    });
  return examples(cmd, [
    "maos orchestration status",
    "maos orchestration status a1b2c3d4 --agents",
    "maos orchestration status a1b2 --messages",
    "maos orchestration status a1b2 --watch --interval 5",
    "maos --json orchestration status a1b2 --watch | jq -c .progress",
    "maos orchestration status a1b2 --json | jq .progress",
  ]);
}

function show(
  ctx: CliContext,
  status: OrchestrationStatus,
  sections: { agents: boolean; tasks: boolean; messages: boolean },
  watching: boolean,
): void {
  if (ctx.json) {
    // One compact line per refresh while watching, so each is parseable alone.
    ctx.out(
      watching ? JSON.stringify(status) : JSON.stringify(status, null, 2),
    );
    return;
  }
  const screen = renderStatus(status, sections, new Date());
  if (watching && process.stdout.isTTY) {
    process.stdout.write(CLEAR_SCREEN);
    ctx.out(screen);
  } else {
    ctx.out(watching ? screen + "\n" : screen);
  }
}

function resumeCommand() {
  const cmd = new Command("resume")
    .description(
      "resume a paused or interrupted orchestration where it stopped " +
        "(default: the most recent one)",
    )
    .argument("[id]", "orchestration id or unique prefix (4+ characters)")
    .option("--task <text>", "give the agents a new task as they resume")
    .option(
      "--budget <usd>",
      `a new total budget: ${BUDGET_HELP.usd}`,
      usdArg,
    )
    .option(
      "--budget-tokens <n>",
      `a new total: ${BUDGET_HELP.tokens}`,
      tokensArg,
    )
    .option("--no-progress", "no live progress, only the result")
    .action(async (idArg, flags, command) => {
      const ctx = contextOf(command);
      const paths = storePaths(ctx);
      const id = chooseResumable(paths, idArg);
      const view = liveView(ctx, flags.progress);
      const outcome = await resume({
        ...ctx.location,
        id,
        task: flags.task,
        budget: budgetFrom(flags),
        reporter: view,
      });
      view.orchestrationId ??= id;
      finishRun(ctx, view, outcome);
    });
  return examples(cmd, [
    "maos orchestration resume",
    "maos orchestration resume a1b2c3d4",
    'maos orchestration resume a1b2 --task "Also update the README"',
    "maos orchestration resume a1b2 --budget 10",
    "maos orchestration resume a1b2 --no-progress",
  ]);
}
