import { Command } from "@commander-js/extra-typings";
import { orchestrationStatus } from "../queries/queries.ts";
import { chooseOrchestration } from "../queries/choose.ts";
import { colors, statusLabel } from "../ui/mod.ts";
import { examples, shortId } from "./_util.ts";
import { contextOf, printJson, storePaths } from "./context.ts";
import { oneLine, renderAgentTable } from "./render.ts";
import { refusedLines } from "./approval_render.ts";

/** `maos agent list [ID]`. */
export function agentCommand() {
  const cmd = new Command("agent").description(
    "inspect the agents of an orchestration",
  );
  examples(cmd, ["maos agent list", "maos agent list a1b2"]);
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
      const refused = refusedLines(status.agents);
      if (refused.length) ctx.out(c.yellow(refused.join("\n")));
    });
  cmd.addCommand(
    examples(list, [
      "maos agent list",
      "maos agent list a1b2c3d4",
      "maos agent list a1b2 --json | jq '.[] | {id, sessionId}'",
    ]),
  );
  return cmd;
}
