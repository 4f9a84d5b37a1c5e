/**
 * `maos approval list|grant|deny`: the agents' permission requests and a
 * person's answers. Works from any terminal while the run goes on (the
 * waiting agent continues within 2 s), and while paused or from another
 * clone (the answer is kept in inbox.jsonl; `resume` applies it). The logic
 * is in lib/approvals/; this file parses and renders.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import { decideApproval } from "../approvals/decide.ts";
import { approvalView, listApprovals } from "../approvals/list.ts";
import { describeCall } from "../approvals/rules.ts";
import { chooseOrchestration } from "../queries/choose.ts";
import { inspectLock } from "../../store/lock.ts";
import { usageError } from "../../store/errors.ts";
import { colors } from "../ui/mod.ts";
import { examples, intArg, shortId } from "./_util.ts";
import { contextOf, printJson, storePaths } from "./context.ts";
import { renderApprovals } from "./approval_render.ts";

/** `maos approval …`. */
export function approvalCommand() {
  const cmd = new Command("approval").description(
    "the agents' permission requests: list them, grant or deny one",
  );
  examples(cmd, [
    "maos approval list",
    "maos approval grant a1b2 1",
    'maos approval deny a1b2 2 --reason "no network in tests"',
  ]);
  cmd.addCommand(listCommand());
  cmd.addCommand(decideCommand("grant"));
  cmd.addCommand(decideCommand("deny"));
  return cmd;
}

function listCommand() {
  const cmd = new Command("list")
    .description(
      "requests with status pending, granted or denied (default: the newest orchestration)",
    )
    .argument("[id]", "orchestration id or unique prefix (4+ characters)")
    .option("--pending", "only the requests no one has answered")
    .option(
      "--all",
      "the requests of every orchestration (with --pending: what waits anywhere)",
    )
    .action((idArg, flags, command) => {
      const ctx = contextOf(command);
      const paths = storePaths(ctx);
      if (flags.all && idArg) {
        throw usageError("give an orchestration id or --all, not both");
      }
      const ids = flags.all
        ? paths.listOrchestrationIds()
        : [chooseOrchestration(paths, idArg)];
      const groups = ids.map((id) => ({
        id,
        rows: listApprovals(paths, id).filter((r) =>
          !flags.pending || r.status === "pending"
        ),
      }));
      if (ctx.json) {
        return printJson(
          ctx,
          flags.all
            ? groups.flatMap((g) =>
              g.rows.map((r) => ({ orchestration: g.id, ...r }))
            )
            : groups[0].rows,
        );
      }
      const c = colors();
      const shown = groups.filter((g) => g.rows.length > 0);
      if (shown.length === 0) {
        const where = flags.all
          ? "any orchestration"
          : `orchestration ${shortId(ids[0])}`;
        ctx.out(
          flags.pending
            ? `No pending requests in ${where}.`
            : `No permission requests in ${where}.`,
        );
        return;
      }
      ctx.out(
        shown.map((g) =>
          (flags.all ? `${c.bold(`Orchestration ${shortId(g.id)}`)}\n` : "") +
          renderApprovals(g.rows, g.id, c)
        ).join("\n\n"),
      );
    });
  return examples(cmd, [
    "maos approval list",
    "maos approval list a1b2 --pending",
    "maos approval list --all --pending",
    "maos approval list a1b2 --json | jq '.[] | select(.status == \"pending\")'",
  ]);
}

function decideCommand(verb: "grant" | "deny") {
  const cmd = new Command(verb)
    .description(
      verb === "grant"
        ? "allow the call an agent asked for (once; --always: from now on)"
        : "refuse the call an agent asked for; it is told why",
    )
    .argument("<id>", "orchestration id or unique prefix (4+ characters)")
    .argument("<n>", "the request's number (maos approval list)", intArg(1));
  if (verb === "grant") {
    cmd.option(
      "--always",
      "also add the call's rule (e.g. Bash(node test.js)) to that agent's permissions for the rest of the orchestration",
    );
  } else {
    cmd.option("--reason <text>", "told to the agent");
  }
  cmd.option("--by <name>", "who decides, for the log (default: user@host)");
  cmd.action((idArg, n, flags, command) => {
    const ctx = contextOf(command);
    const env = ctx.location.env;
    // An agent must not answer requests, its own least of all (Bash may run maos).
    if (env.MAOS_AGENT_TOKEN || env.MAOS_AGENT_TOKEN_FILE) {
      throw usageError(
        `maos approval ${verb} is for people: this process runs for agent ${
          env.MAOS_AGENT_ID ?? "(unknown)"
        }`,
        "answer from your own terminal; an agent asks through maos and waits",
      );
    }
    const paths = storePaths(ctx);
    const id = chooseOrchestration(paths, idArg);
    const opts = flags as { always?: boolean; reason?: string; by?: string };
    const decided = decideApproval(paths, id, n, {
      decision: verb === "grant" ? "granted" : "denied",
      always: opts.always,
      reason: opts.reason,
      ...(opts.by?.trim() ? { by: opts.by.trim().slice(0, 100) } : {}),
    });
    if (ctx.json) return printJson(ctx, approvalView(decided));
    const live = inspectLock(paths.lock(id)).state === "live";
    const what = `#${n} [${decided.agent}] ${describeCall(decided)}`;
    ctx.out(
      verb === "grant"
        ? `👍 Granted ${what}${
          opts.always ? ` (always: ${approvalView(decided).rule})` : ""
        }`
        : `🚫 Denied ${what}${opts.reason ? ` — ${opts.reason}` : ""}`,
    );
    ctx.note(
      live
        ? "The running orchestration picks it up now; the agent goes on."
        : `Applied when it resumes: maos orchestration resume ${shortId(id)}`,
    );
  });
  return examples(
    cmd,
    verb === "grant"
      ? ["maos approval grant a1b2 1", "maos approval grant a1b2 1 --always"]
      : ['maos approval deny a1b2 1 --reason "use the mock server instead"'],
  );
}
