/**
 * What `maos recover …` prints: checkpoint tables, restore and cleanup
 * reports, checkpoint info, and the warning for a damaged checkpoint file.
 *
 * @module
 */

import type { CheckpointInfo } from "../recovery/checkpoint_admin.ts";
import type { CleanupResult } from "../recovery/checkpoint_cleanup.ts";
import {
  type CheckpointSummary,
  type DamagedCheckpoint,
  summarizeCheckpoint,
} from "../recovery/checkpoint_list.ts";
import type { CheckpointResult } from "../recovery/checkpoint_take.ts";
import type { RestoreResult } from "../recovery/restore.ts";
import type { PruneEntry } from "../workspace/prune.ts";
import {
  colors,
  plural,
  relativeTime,
  renderTable,
  type Status,
  statusLabel,
  truncate,
} from "../ui/mod.ts";
import { formatCost, shortId } from "./_util.ts";
import { type CliContext, printJson } from "./context.ts";

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
  if (result.live.length > 0) {
    ctx.warn(
      `${
        result.live.map(shortId).join(", ")
      } is running elsewhere: this checkpoint holds its last save, not its files now; checkpoint it alone (--orchestration ID) for those`,
    );
  }
  ctx.note(`Restore it with: maos recover restore ${shortId(summary.id)}`);
}

/** One warning line per damaged file (stderr, even with --quiet and --json). */
export function warnDamaged(
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

export function renderCheckpoints(
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

export function reportRestore(ctx: CliContext, result: RestoreResult): void {
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
    for (const f of o.files ?? []) {
      ctx.out(filesLine(f, o.action, result.dryRun));
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
    for (const o of result.orchestrations) {
      const id = shortId(o.target ?? o.id);
      // A completed one has nothing to resume; it takes a new task.
      ctx.note(
        o.statusAfter === "completed"
          ? `It is completed; give it more with: maos orchestration resume ${id} --task "…"`
          : `Resume with: maos orchestration resume ${id}`,
      );
    }
  }
}

/** One agent's files in a restore: which files change, or where a fork's worktree starts. */
function filesLine(
  f: { agent: string; commit: string; changed: string[] },
  action: string,
  dryRun: boolean,
): string {
  const at = `files ${f.commit.slice(0, 8)}`;
  if (action === "fork") return `    ${f.agent}: new worktree at ${at}`;
  if (f.changed.length === 0) return `    ${f.agent}: files unchanged (${at})`;
  const shown = f.changed.slice(0, 8).join(", ") +
    (f.changed.length > 8 ? `, … (${f.changed.length} files)` : "");
  return `    ${f.agent}: ${
    dryRun ? "would change" : "changed"
  } ${shown} (${at})`;
}

function pastTense(what: string): string {
  return what.replace(/^rewind/, "rewound").replace(/^fork/, "forked")
    .replace(/^recreate/, "recreated");
}

function label(status: string): string {
  return statusLabel(status as Status, colors());
}

export function renderInfo(info: CheckpointInfo, now: Date): string {
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

function truncateRequest(request: string): string {
  return truncate(request.split("\n")[0], 60);
}

/** What cleanup deleted (or would), and how many manual checkpoints it spared. */
export function reportCleanup(
  ctx: CliContext,
  result: CleanupResult,
  dryRun: boolean,
  worktrees: PruneEntry[] = [],
): void {
  warnDamaged(ctx, result.damaged, "cleanup left it alone");
  const { removed, manualKept } = result;
  if (ctx.json) {
    return printJson(ctx, { dryRun, removed, manualKept, worktrees });
  }
  for (const w of worktrees) {
    ctx.out(
      w.action === "kept"
        ? `  kept ${w.branch}: ${w.reason} (add --force to remove it)`
        : `  ${w.action} worktree and branch ${w.branch}${
          w.savedTo ? ` (its work saved first to ${w.savedTo})` : ""
        }`,
    );
  }
  const worktreesGo = worktrees.some((w) => w.action !== "kept");
  if (removed.length === 0) {
    ctx.out(worktreesGo ? "No checkpoint to delete." : "Nothing to clean up.");
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
    const one = manualKept === 1;
    ctx.out(
      `${plural(manualKept, "manual checkpoint")} ${
        dryRun ? "would be" : one ? "was" : "were"
      } left alone; add --include-manual to delete ${one ? "it" : "them"} too.`,
    );
  }
}
