import { Command, Option } from "@commander-js/extra-typings";
import { usageError } from "../../store/errors.ts";
import { appendInbox } from "../../store/inbox.ts";
import { inspectLock } from "../../store/lock.ts";
import type { MaosPaths } from "../../store/paths.ts";
import {
  requireAgentOf,
  requireWithinCap,
  resolveRecipient,
} from "../channel/agent_channel.ts";
import {
  PERSON_SENDER,
  refusalOf,
  tokenFromEnv,
} from "../engine/agent_token.ts";
import { loadOrchestration } from "../../store/journal.ts";
import { foldEvent } from "../queries/state_fold.ts";
import { pendingMessages } from "../channel/pending_messages.ts";
import { loadConfig } from "../../store/config.ts";
import { MessageKindSchema } from "../../store/schema.ts";
import { messagesAfter, scanMessages } from "../queries/messages.ts";
import {
  chooseOrchestration,
  resolveOrchestrationId,
} from "../queries/choose.ts";
import { colors } from "../ui/mod.ts";
import { examples, intArg, interruptSignal, shortId, sleep } from "./_util.ts";
import {
  type CliContext,
  contextOf,
  printJson,
  storePaths,
} from "./context.ts";
import { messageHistoryLine, oneLine } from "./render.ts";

const KINDS = MessageKindSchema.options;
/** How often `--follow` looks for new lines. */
const FOLLOW_POLL_MS = 250;

/** `maos message send|list`. */
export function messageCommand() {
  const cmd = new Command("message")
    .description("send messages to agents and read the communication history");
  examples(cmd, [
    'maos message send --orchestration a1b2 --to developer-001 "Use the v2 API"',
    "maos message list a1b2 --follow",
  ]);
  cmd.addCommand(sendCommand());
  cmd.addCommand(listCommand());
  return cmd;
}

function sendCommand() {
  const cmd = new Command("send")
    .description(
      "send a message on an orchestration's bus (from an agent, MAOS_* env " +
        "vars say where; from a person, give --orchestration)",
    )
    .argument("<text...>", "the message")
    .option("--to <agent>", "recipient agent id or role (default: everyone)")
    .addOption(
      new Option("--type <kind>", "message kind").choices(KINDS).default(
        "info" as const,
      ),
    )
    .option(
      "--orchestration <id>",
      "orchestration id or prefix (default: MAOS_ORCHESTRATION_ID)",
    )
    .action(async (words, flags, command) => {
      const ctx = contextOf(command);
      const env = ctx.location.env;
      const wanted = flags.orchestration ?? env.MAOS_ORCHESTRATION_ID;
      if (!wanted) {
        throw usageError(
          "which orchestration? none given and MAOS_ORCHESTRATION_ID is not set",
          "add --orchestration ID (see: maos orchestration list)",
        );
      }
      const paths = storePaths(ctx);
      const id = resolveOrchestrationId(paths, wanted);
      const content = words.join(" ");
      if (content.trim() === "") throw usageError("the message is empty");
      const from = env.MAOS_AGENT_ID || PERSON_SENDER;
      requireWithinCap(content, (await loadConfig(paths)).messages.maxBytes);
      if (env.MAOS_AGENT_ID) {
        requireAgentOf({ paths, orchestrationId: id, agentId: from });
      }
      const to = resolveRecipient(paths, id, flags.to);
      const token = tokenFromEnv(env);
      const at = new Date().toISOString();
      const line = {
        at,
        from,
        to,
        kind: flags.type,
        content,
        ...(token ? { token } : {}),
      };
      // What the orchestrator will make of the line (the turn's token hash
      // is logged before its processes start): a refusal is told at once.
      const refusal = from === PERSON_SENDER
        ? null
        : refusalOf(line, loadOrchestration(paths, id, foldEvent).state);
      appendInbox(paths, id, line);
      // Written all the same (the refusal is logged, doctor reports it), but
      // the sender is told the truth rather than "✓ Message sent".
      if (refusal) {
        ctx.warn(
          `${refusal}: this message is not taken as ${oneLine(from)}'s ` +
            `(it is logged as refused); only the processes maos starts for ` +
            `${oneLine(from)} have its token\n` +
            "hint: to send it as yourself, unset MAOS_AGENT_ID",
        );
      }
      if (ctx.json) {
        printJson(ctx, {
          orchestration: id,
          at,
          from,
          to,
          type: flags.type,
          content,
        });
        return;
      }
      if (refusal) return;
      ctx.note(
        `${colors().green("✓")} Message sent to ${oneLine(to ?? "all")} ` +
          `(orchestration ${shortId(id)})`,
      );
      if (inspectLock(paths.lock(id)).state !== "live") {
        ctx.note(
          "It is not running now: the message is delivered when it resumes.",
        );
      }
    });
  return examples(cmd, [
    'maos message send --orchestration a1b2 "Please prefer small commits"',
    'maos message send --orchestration a1b2 --to developer "Use the v2 API" --type request',
    "# inside an agent (MAOS_DIR, MAOS_ORCHESTRATION_ID and MAOS_AGENT_ID are set):",
    'maos message send --type discovery "The tests need Postgres 16"',
  ]);
}

function listCommand() {
  const cmd = new Command("list")
    .description(
      "the communication history, read from the log itself, then what still " +
        "waits in the inbox, marked (pending) (default: the newest orchestration)",
    )
    .argument("[id]", "orchestration id or unique prefix (4+ characters)")
    .option(
      "--follow",
      "keep printing new messages until it ends (or Ctrl-C); with --json, " +
        "one JSON object per line",
    )
    .option("--limit <n>", "the last N messages", intArg(1), 100)
    .action(async (idArg, flags, command) => {
      const ctx = contextOf(command);
      const paths = storePaths(ctx);
      const id = chooseOrchestration(paths, idArg);
      const first = scanMessages(paths, id, flags.limit);
      if (!flags.follow) {
        // The last N of all: those still pending are the newest.
        const all = [...first.messages, ...pendingMessages(paths, id)]
          .slice(-flags.limit);
        if (ctx.json) return printJson(ctx, all);
        if (all.length === 0) ctx.out("No messages yet.");
        for (const m of all) ctx.out(messageHistoryLine(m, id));
        return;
      }
      await follow(ctx, paths, id, first);
    });
  return examples(cmd, [
    "maos message list a1b2",
    "maos message list a1b2c3d4 --limit 20",
    "maos message list a1b2 --follow",
    "maos message list a1b2 --json | jq '.[] | select(.type == \"discovery\")'",
    "maos --json message list a1b2 --follow | jq -r .content",
  ]);
}

async function follow(
  ctx: CliContext,
  paths: MaosPaths,
  id: string,
  first: ReturnType<typeof scanMessages>,
): Promise<void> {
  // With --json, one compact object per line, so a consumer can read it live.
  const print = (m: (typeof first.messages)[number]) =>
    ctx.out(ctx.json ? JSON.stringify(m) : messageHistoryLine(m, id));
  first.messages.forEach(print);
  let cursor = first.end;
  const stop = interruptSignal();
  try {
    while (!stop.signal.aborted) {
      const next = messagesAfter(paths, id, cursor);
      next.messages.forEach(print);
      cursor = next.end;
      if (next.stopped) {
        ctx.note(colors().dim(`(orchestration ${shortId(id)} is not running)`));
        break;
      }
      await sleep(FOLLOW_POLL_MS, stop.signal);
    }
  } finally {
    stop.dispose();
  }
}
