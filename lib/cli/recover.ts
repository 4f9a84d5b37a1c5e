/**
 * `maos recover …`: take, list, restore, inspect, delete, export, import
 * and clean up checkpoints. The engine (lib/engine/checkpoint_*.ts and
 * recovery_restore.ts) does the work; this file parses and renders.
 *
 * @module
 */

import { Command } from "@commander-js/extra-typings";
import {
  type CheckpointInfo,
  checkpointInfo,
  deleteCheckpoint,
  exportCheckpoint,
  importCheckpoint,
} from "../engine/checkpoint_admin.ts";
import { cleanup } from "../engine/checkpoint_cleanup.ts";
import {
  type CheckpointSummary,
  type DamagedCheckpoint,
  listCheckpointSummaries,
  summarizeCheckpoint,
} from "../engine/checkpoint_list.ts";
import {
  checkpointOrchestrations,
  type CheckpointResult,
} from "../engine/checkpoint_take.ts";
import {
  restoreCheckpoint,
  type RestoreResult,
} from "../engine/recovery_restore.ts";
import {
  colors,
  plural,
  relativeTime,
  renderTable,
  type Status,
  statusLabel,
  truncate,
} from "../ui/mod.ts";
import { examples, formatCost, intArg, shortId } from "./_util.ts";
import {
  type CliContext,
  contextOf,
  printJson,
  storePaths,
} from "./context.ts";

/** `maos recover …` */
export function recoverCommand(): Command {
  const cmd = new Command("recover")
    .description(
      "manage checkpoints: checkpoint, list, restore, info, delete, export, " +
        "import, cleanup",
    );
  examples(cmd, [
    "maos recover checkpoint --name before-refactor",
    "maos recover list",
    "maos recover restore 3f9a --dry-run",
  ]);
  cmd.addCommand(checkpointCommand());
  cmd.addCommand(listCommand());
  cmd.addCommand(restoreCommand());
  cmd.addCommand(infoCommand());
  cmd.addCommand(deleteCommand());
  cmd.addCommand(exportCommand());
  cmd.addCommand(importCommand());
  cmd.addCommand(cleanupCommand());
  return cmd;
}

function checkpointCommand() {
  const cmd = new Command("checkpoint")
    .description(
      "checkpoint one orchestration, or all unfinished ones when no id is given",
    )
    .option(
      "--name <name>",
      "a name to find it by, not used by another checkpoint " +
        "(default manual-DATE-TIME)",
    )
    .option("--orchestration <id>", "only this orchestration (id or prefix)")
    .action(async (flags, command) => {
      const ctx = contextOf(command);
      const result = await checkpointOrchestrations(storePaths(ctx), {
        name: flags.name,
        orchestrationId: flags.orchestration,
      });
      reportCheckpoint(ctx, result);
    });
  return examples(cmd, [
    "maos recover checkpoint",
    "maos recover checkpoint --name before-refactor --orchestration a1b2",
    "maos --json recover checkpoint",
  ]);
}

/** Print what checkpointOrchestrations did (shared with `orchestration checkpoint`). */
export function reportCheckpoint(
  ctx: CliContext,
  result: CheckpointResult,
): void {
  for (const { id, reason } of result.skipped) {
    ctx.warn(`${shortId(id)} left out: ${reason}`);
  }
  if (!result.checkpoint) {
    if (ctx.json) return printJson(ctx, null);
    ctx.out("No unfinished orchestrations to checkpoint.");
    ctx.note(
      "Checkpoint a finished one with: maos recover checkpoint --orchestration ID",
    );
    return;
  }
  const summary = summarizeCheckpoint(result.checkpoint);
  if (ctx.json) return printJson(ctx, summary);
  const c = colors();
  ctx.out(
    `${c.green("✓")} Checkpoint ${shortId(summary.id)} "${summary.name}" saved`,
  );
  for (const entry of result.checkpoint.orchestrations) {
    const live = result.live.includes(entry.id) ? " (running)" : "";
    ctx.out(
      `  ${shortId(entry.id)}  at event ${entry.seq}${live}  ${
        truncateRequest(entry.state.request)
      }`,
    );
  }
  ctx.note(`Restore it with: maos recover restore ${shortId(summary.id)}`);
}

function listCommand() {
  const cmd = new Command("list")
    .description("checkpoints, newest first")
    .option("--orchestration <id>", "only checkpoints of this orchestration")
    .option("--limit <n>", "show at most this many", intArg(1))
    .action((flags, command) => {
      const ctx = contextOf(command);
      const { checkpoints: rows, damaged } = listCheckpointSummaries(
        storePaths(ctx),
        { orchestrationId: flags.orchestration, limit: flags.limit },
      );
      warnDamaged(ctx, damaged, "not listed");
      if (ctx.json) return printJson(ctx, rows);
      if (rows.length === 0) {
        ctx.out(
          damaged.length
            ? "No readable checkpoints."
            : "No checkpoints yet. Take one with: maos recover checkpoint",
        );
        return;
      }
      ctx.out(renderCheckpoints(ctx, rows, new Date()));
    });
  return examples(cmd, [
    "maos recover list",
    "maos recover list --orchestration a1b2 --limit 5",
    "maos --json recover list",
  ]);
}

/** One warning line per damaged file (stderr, even with --quiet and --json). */
function warnDamaged(
  ctx: CliContext,
  damaged: DamagedCheckpoint[],
  what: string,
): void {
  for (const d of damaged) {
    ctx.warn(
      `${d.error}; ${what}. Check it with: maos doctor, ` +
        `or remove it with: maos recover delete ${shortId(d.id)}`,
    );
  }
}

function renderCheckpoints(
  ctx: CliContext,
  rows: CheckpointSummary[],
  now: Date,
): string {
  return renderTable(
    ["ID", "Name", "Kind", "Orchestrations", "Created"],
    rows.map((cp) => [
      shortId(cp.id),
      cp.name,
      cp.auto ? "auto" : "manual",
      cp.orchestrations.map(shortId).join(", "),
      relativeTime(cp.createdAt, now),
    ]),
    { color: ctx.color },
  );
}

function restoreCommand() {
  const cmd = new Command("restore")
    .description(
      "rewind to a checkpoint (refused while the orchestration runs); " +
        "the log keeps its history",
    )
    .argument("<checkpoint>", "checkpoint id or prefix")
    .option("--dry-run", "show what would change and write nothing")
    .option(
      "--fork",
      "make a new orchestration from the checkpoint; leave the original alone",
    )
    .option(
      "--orchestration <id>",
      "restore only this one of the checkpoint's orchestrations",
    )
    .action(async (checkpoint, flags, command) => {
      const ctx = contextOf(command);
      const result = await restoreCheckpoint(storePaths(ctx), checkpoint, {
        dryRun: flags.dryRun,
        fork: flags.fork,
        orchestrationId: flags.orchestration,
      });
      if (ctx.json) return printJson(ctx, result);
      reportRestore(ctx, result);
    });
  return examples(cmd, [
    "maos recover restore 3f9a --dry-run",
    "maos recover restore 3f9a",
    "maos recover restore 3f9a --fork",
  ]);
}

function reportRestore(ctx: CliContext, result: RestoreResult): void {
  const c = colors();
  const cp = result.checkpoint;
  const head = result.dryRun
    ? `Dry run: nothing was changed. Restoring checkpoint ${
      shortId(cp.id)
    } "${cp.name}" would:`
    : `${c.green("✓")} Restored checkpoint ${shortId(cp.id)} "${cp.name}"`;
  ctx.out(head);
  const rows: string[][] = [];
  for (const o of result.orchestrations) {
    const target = o.target ? shortId(o.target) : "a new id";
    const what = o.action === "fork"
      ? `fork ${shortId(o.id)} into ${target}`
      : o.action === "recreate"
      ? `recreate ${shortId(o.id)} (it was deleted)`
      : `rewind ${
        shortId(o.id)
      } from event ${o.currentSeq} to event ${o.checkpointSeq}`;
    const status = o.statusBefore
      ? `${label(o.statusBefore)} → ${label(o.statusAfter)}`
      : label(o.statusAfter);
    ctx.out(`  ${result.dryRun ? what : pastTense(what)}  ${status}`);
    if (o.runningBy) {
      ctx.warn(
        `${shortId(o.id)} is running (${o.runningBy}): the restore would be ` +
          "refused now; stop it first, or use --fork",
      );
    }
    for (const t of o.tasks) {
      if (t.before === t.after) continue;
      rows.push([
        shortId(o.target ?? o.id),
        t.id,
        t.before ? label(t.before) : "—",
        label(t.after),
      ]);
    }
  }
  if (rows.length) {
    ctx.out(
      renderTable(["Orchestration", "Task", "Now", "After"], rows, {
        color: ctx.color,
      }),
    );
  } else {
    ctx.out("  no task changes its status");
  }
  if (!result.dryRun) {
    const ids = result.orchestrations.map((o) => o.target ?? o.id);
    for (const id of ids) {
      ctx.note(`Resume with: maos orchestration resume ${shortId(id)}`);
    }
  }
}

function pastTense(what: string): string {
  return what.replace(/^rewind/, "rewound").replace(/^fork/, "forked")
    .replace(/^recreate/, "recreated");
}

function label(status: string): string {
  return statusLabel(status as Status, colors());
}

function infoCommand() {
  const cmd = new Command("info")
    .description("what a checkpoint holds")
    .argument("<checkpoint>", "checkpoint id or prefix")
    .action((checkpoint, _flags, command) => {
      const ctx = contextOf(command);
      const info = checkpointInfo(storePaths(ctx), checkpoint);
      if (ctx.json) return printJson(ctx, info);
      ctx.out(renderInfo(info, new Date()));
    });
  return examples(cmd, [
    "maos recover info 3f9a",
    "maos --json recover info 3f9a",
  ]);
}

function renderInfo(info: CheckpointInfo, now: Date): string {
  const c = colors();
  const lines = [
    `${c.bold("Checkpoint")} ${info.id}  "${info.name}"`,
    `Kind:     ${info.auto ? "auto" : "manual"}`,
    `Created:  ${info.createdAt} (${relativeTime(info.createdAt, now)})`,
  ];
  for (const o of info.details) {
    const where = o.currentSeq === null
      ? "deleted since"
      : o.currentSeq === o.seq
      ? "unchanged since"
      : `now at event ${o.currentSeq}`;
    lines.push(
      "",
      `${c.bold(shortId(o.id))}  ${truncateRequest(o.request)}`,
      `  at event ${o.seq} (${where}), ${label(o.status)}, ` +
        `${o.progress.completed}/${o.progress.total} tasks done, ` +
        `${o.agents} agents, ${o.messages} messages, ${formatCost(o.cost)}`,
    );
    for (const t of o.tasks) {
      lines.push(`    ${label(t.status)}  ${t.id}: ${t.title}`);
    }
  }
  return lines.join("\n");
}

function deleteCommand() {
  const cmd = new Command("delete")
    .description("delete a checkpoint (its orchestrations are not touched)")
    .argument("<checkpoint>", "checkpoint id or prefix")
    .action((checkpoint, _flags, command) => {
      const ctx = contextOf(command);
      const removed = deleteCheckpoint(storePaths(ctx), checkpoint);
      if (ctx.json) return printJson(ctx, removed);
      ctx.out(
        `${colors().green("✓")} Deleted ${
          "damaged" in removed ? "damaged checkpoint" : "checkpoint"
        } ${shortId(removed.id)}${
          "name" in removed ? ` "${removed.name}"` : ""
        }`,
      );
    });
  return examples(cmd, ["maos recover delete 3f9a"]);
}

function exportCommand() {
  const cmd = new Command("export")
    .description("copy a checkpoint to a portable JSON file")
    .argument("<checkpoint>", "checkpoint id or prefix")
    .argument("<file>", "where to write it")
    .action((checkpoint, file, _flags, command) => {
      const ctx = contextOf(command);
      const result = exportCheckpoint(
        storePaths(ctx),
        checkpoint,
        file,
        ctx.location.cwd,
      );
      if (ctx.json) {
        return printJson(ctx, { ...result.checkpoint, file: result.file });
      }
      ctx.out(
        `${colors().green("✓")} Exported checkpoint ${
          shortId(result.checkpoint.id)
        } to ${file}`,
      );
    });
  return examples(cmd, [
    "maos recover export 3f9a backup.json",
    "maos recover import backup.json",
  ]);
}

function importCommand() {
  const cmd = new Command("import")
    .description(
      "bring back a checkpoint written by `maos recover export` (it keeps its id)",
    )
    .argument("<file>", "the exported checkpoint")
    .action(async (file, _flags, command) => {
      const ctx = contextOf(command);
      const result = await importCheckpoint(
        storePaths(ctx),
        file,
        ctx.location.cwd,
      );
      if (result.sameNameAs) {
        ctx.warn(
          `checkpoint ${shortId(result.sameNameAs)} has the same name ` +
            `"${result.checkpoint.name}"; tell them apart by id`,
        );
      }
      if (ctx.json) {
        return printJson(ctx, { ...result.checkpoint, file: result.file });
      }
      ctx.out(
        `${colors().green("✓")} Imported checkpoint ${
          shortId(result.checkpoint.id)
        } "${result.checkpoint.name}" from ${file}`,
      );
      ctx.note(
        `Restore it with: maos recover restore ${
          shortId(result.checkpoint.id)
        }`,
      );
    });
  return examples(cmd, [
    "maos recover import backup.json",
    "maos --dir ../clone/.maos recover import backup.json",
  ]);
}

function cleanupCommand() {
  const cmd = new Command("cleanup")
    .description(
      "delete old auto-checkpoints (manual ones only with --include-manual); " +
        "without flags, the auto-checkpoints beyond the retention in maos.json",
    )
    .option("--keep <n>", "keep the newest N auto-checkpoints", intArg(0))
    .option(
      "--older-than <days>",
      "delete auto-checkpoints older than DAYS",
      intArg(0),
    )
    .option(
      "--include-manual",
      "let --keep and --older-than delete manual checkpoints too",
    )
    .option("--dry-run", "list what would be deleted and delete nothing")
    .action(async (flags, command) => {
      const ctx = contextOf(command);
      const dryRun = Boolean(flags.dryRun);
      const result = await cleanup(storePaths(ctx), {
        keep: flags.keep,
        olderThanDays: flags.olderThan,
        includeManual: flags.includeManual,
        dryRun,
      });
      warnDamaged(ctx, result.damaged, "cleanup left it alone");
      if (ctx.json) {
        return printJson(ctx, {
          dryRun,
          removed: result.removed,
          manualKept: result.manualKept,
        });
      }
      const { removed, manualKept } = result;
      if (removed.length === 0) {
        ctx.out("Nothing to clean up.");
      } else {
        ctx.out(
          dryRun
            ? `Dry run: would delete ${plural(removed.length, "checkpoint")}:`
            : `${colors().green("✓")} Deleted ${
              plural(removed.length, "checkpoint")
            }:`,
        );
        ctx.out(renderCheckpoints(ctx, removed, new Date()));
      }
      if (manualKept > 0) {
        ctx.out(
          `${plural(manualKept, "manual checkpoint")} ${
            dryRun ? "would be" : manualKept === 1 ? "was" : "were"
          } left alone; add --include-manual to delete them too.`,
        );
      }
    });
  return examples(cmd, [
    "maos recover cleanup --dry-run",
    "maos recover cleanup --keep 10",
    "maos recover cleanup --older-than 30",
    "maos recover cleanup --older-than 90 --include-manual --dry-run",
  ]);
}

function truncateRequest(request: string): string {
  return truncate(request.split("\n")[0], 60);
}
