/**
 * `maos recover …`: take, list, restore, inspect, delete, export, import
 * and clean up checkpoints. The recovery room (lib/recovery/checkpoint_*.ts and
 * restore.ts) does the work; this file parses, and
 * recover_render.ts prints.
 *
 * @module
 */

import { Command } from "@commander-js/extra-typings";
import {
  checkpointInfo,
  deleteCheckpoint,
  exportCheckpoint,
  importCheckpoint,
} from "../recovery/checkpoint_admin.ts";
import { cleanup } from "../recovery/checkpoint_cleanup.ts";
import { listCheckpointSummaries } from "../recovery/checkpoint_list.ts";
import { checkpointOrchestrations } from "../recovery/checkpoint_take.ts";
import { restoreCheckpoint } from "../recovery/restore.ts";
import { pruneFinishedWorktrees } from "../workspace/prune.ts";
import { colors } from "../ui/mod.ts";
import { examples, intArg, shortId } from "./_util.ts";
import { contextOf, printJson, storePaths } from "./context.ts";
import {
  renderCheckpoints,
  renderInfo,
  reportCheckpoint,
  reportCleanup,
  reportRestore,
  warnDamaged,
} from "./recover_render.ts";

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

function restoreCommand() {
  const cmd = new Command("restore")
    .description(
      "rewind to a checkpoint (refused while the orchestration runs); " +
        "the log keeps its history",
    )
    .argument(
      "<checkpoint>",
      "checkpoint id, prefix or name (or the start of a name)",
    )
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

function infoCommand() {
  const cmd = new Command("info")
    .description("what a checkpoint holds")
    .argument(
      "<checkpoint>",
      "checkpoint id, prefix or name (or the start of a name)",
    )
    .action((checkpoint, _flags, command) => {
      const ctx = contextOf(command);
      const info = checkpointInfo(storePaths(ctx), checkpoint);
      if (ctx.json) return printJson(ctx, info);
      ctx.out(renderInfo(info, new Date()));
    });
  return examples(cmd, [
    "maos recover info 3f9a",
    "maos recover info before-refactor",
    "maos --json recover info 3f9a",
  ]);
}

function deleteCommand() {
  const cmd = new Command("delete")
    .description("delete a checkpoint (its orchestrations are not touched)")
    .argument(
      "<checkpoint>",
      "checkpoint id, prefix or name (or the start of a name)",
    )
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
    .argument(
      "<checkpoint>",
      "checkpoint id, prefix or name (or the start of a name)",
    )
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
        "without flags, the auto-checkpoints beyond the retention in maos.json; " +
        "and the worktrees and branches of completed orchestrations whose work is merged",
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
    .option(
      "--force",
      "also remove worktrees and branches of completed orchestrations whose work is not merged " +
        "(saved first to refs/maos/<id>/<agent>.forced)",
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
      // Completed orchestrations' worktrees and branches (merged ones unless --force).
      const worktrees = await pruneFinishedWorktrees(storePaths(ctx), {
        force: flags.force,
        dryRun,
      });
      reportCleanup(ctx, result, dryRun, worktrees);
    });
  return examples(cmd, [
    "maos recover cleanup --dry-run",
    "maos recover cleanup --keep 10",
    "maos recover cleanup --older-than 30",
    "maos recover cleanup --older-than 90 --include-manual --dry-run",
  ]);
}
