import { Command } from "@commander-js/extra-typings";
import { orchestrationStatus } from "../queries/queries.ts";
import { chooseOrchestration } from "../queries/choose.ts";
import { colors, statusLabel } from "../ui/mod.ts";
import {
  clockTime,
  examples,
  intArg,
  interruptSignal,
  shortId,
  sleep,
} from "./_util.ts";
import { contextOf, printJson, storePaths } from "./context.ts";
import {
  orchestrationLive,
  readAgentLog,
  requireAgent,
} from "../queries/agent_logs.ts";
import { resolveOrchestrationId } from "../queries/choose.ts";
import type { AgentOutputLine } from "../../store/schema.ts";
import { oneLine, renderAgentTable } from "./render.ts";

/** `maos agent list [ID]`. */
export function agentCommand() {
  const cmd = new Command("agent").description(
    "inspect the agents of an orchestration",
  );
  examples(cmd, [
    "maos agent list",
    "maos agent list a1b2",
    "maos agent logs a1b2 developer-001 --tail 20",
  ]);
  const list = new Command("list")
    .description(
      "agents with status, session, messages and cost (default: the newest orchestration)",
    )
    .argument("[id]", "orchestration id or unique prefix (4+ characters)")
    .action((idArg, _flags, command) => {
      const ctx = contextOf(command);
      const paths = storePaths(ctx);
      const id = chooseOrchestration(paths, idArg);
      const status = orchestrationStatus(paths, id, {
        messages: 0,
        onWarning: ctx.warn,
      });
      if (ctx.json) return printJson(ctx, status.agents);
      const c = colors();
      ctx.note(
        `${c.bold(`Orchestration ${shortId(id)}`)} ${
          statusLabel(status.status, c)
        }: ${oneLine(status.request)}`,
      );
      ctx.out(
        status.agents.length
          ? renderAgentTable(status.agents)
          : "No agents in this orchestration.",
      );
    });
  cmd.addCommand(
    examples(list, [
      "maos agent list",
      "maos agent list a1b2c3d4",
      "maos agent list a1b2 --json | jq '.[] | {id, sessionId}'",
    ]),
  );
  cmd.addCommand(logsCommand());
  return cmd;
}

/** How often `logs --follow` looks for new lines. */
const FOLLOW_POLL_MS = 250;

/** `maos agent logs ID AGENT [--task T] [--tail N] [--follow]`. */
function logsCommand() {
  const cmd = new Command("logs")
    .description(
      "an agent's saved output (everything it printed, as it came), " +
        "e.g. to see why its task failed",
    )
    .argument("<id>", "orchestration id or unique prefix (4+ characters)")
    .argument("<agent>", "agent id, e.g. developer-001")
    .option("--task <task>", "only this task's output")
    .option("--tail <n>", "only the last N lines", intArg(1))
    .option(
      "--follow",
      "keep printing new lines while the orchestration runs (or until Ctrl-C); " +
        "with --json, one JSON object per line",
    )
    .action(async (idArg, agent, flags, command) => {
      const ctx = contextOf(command);
      const paths = storePaths(ctx);
      const id = resolveOrchestrationId(paths, idArg);
      const tasks = requireAgent(paths, id, agent, flags.task);
      const options = { task: flags.task, tail: flags.tail };
      const first = readAgentLog(paths, id, agent, options);
      if (first.skipped > 0) {
        ctx.warn(
          `${first.skipped} line(s) of ${
            paths.agentOutput(id, agent)
          } did not parse and are not shown`,
        );
      }
      const print = (l: AgentOutputLine) =>
        ctx.out(
          ctx.json
            ? JSON.stringify(l)
            : `${colors().dim(`${clockTime(l.at)} ${l.task}`)}  ${l.line}`,
        );
      if (!flags.follow) {
        if (ctx.json) return printJson(ctx, first.lines);
        if (first.lines.length === 0) {
          ctx.note(
            `${agent} has no saved output${
              flags.task ? ` for task ${flags.task}` : ""
            }${orchestrationLive(paths, id) ? " yet" : ""}.`,
          );
          // The closing hint of a failed run leads here: say why, even when it printed nothing.
          for (const t of tasks) {
            if (t.status !== "failed" || !t.result?.summary) continue;
            ctx.note(`${t.id} failed: ${oneLine(t.result.summary)}`);
          }
        }
        first.lines.forEach(print);
        return;
      }
      first.lines.forEach(print);
      let end = first.end;
      const stop = interruptSignal();
      try {
        while (!stop.signal.aborted) {
          // The lock first: lines written just before the run ends are still read.
          const live = orchestrationLive(paths, id);
          const next = readAgentLog(
            paths,
            id,
            agent,
            { task: flags.task },
            end,
          );
          next.lines.forEach(print);
          end = next.end;
          if (!live) {
            ctx.note(
              colors().dim(`(orchestration ${shortId(id)} is not running)`),
            );
            break;
          }
          await sleep(FOLLOW_POLL_MS, stop.signal);
        }
      } finally {
        stop.dispose();
      }
    });
  return examples(cmd, [
    "maos agent logs a1b2 developer-001",
    "maos agent logs a1b2 tester-001 --task test --tail 50",
    "maos agent logs a1b2 developer-001 --follow",
    "maos agent logs a1b2 developer-001 --json | jq -r '.[].line'",
  ]);
}
