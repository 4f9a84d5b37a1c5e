/**
 * `maos orchestration merge ID [--into BRANCH] [--squash] [--dry-run]`:
 * the agents' branches merged into the user's branch; and `orchestration
 * remove`, which deletes them once merged.
 *
 * @module
 */
import { Command } from "@commander-js/extra-typings";
import {
  type MergeBackResult,
  mergeOrchestration,
} from "../workspace/merge_back.ts";
import { removeOrchestration } from "../workspace/remove.ts";
import { colors } from "../ui/mod.ts";
import { examples, shortId } from "./_util.ts";
import {
  type CliContext,
  contextOf,
  printJson,
  storePaths,
} from "./context.ts";

export function mergeCommand() {
  const cmd = new Command("merge")
    .description(
      "merge the agents' branches (maos/<id8>/<agent>) into your branch; " +
        "a conflict changes nothing and names the files",
    )
    .argument("<id>", "orchestration id or prefix")
    .option(
      "--into <branch>",
      "the branch to merge into (default: the one checked out here)",
    )
    .option("--squash", "one commit with all the agents' work")
    .option("--agent <agent>", "merge only this agent's branch")
    .option(
      "--dry-run",
      "show what would be merged and what would conflict, change nothing " +
        "(exit 0: it would merge cleanly, 1: it would conflict or be refused)",
    )
    .action(async (id, flags, command) => {
      const ctx = contextOf(command);
      const result = await mergeOrchestration(storePaths(ctx), id, {
        into: flags.into,
        squash: flags.squash,
        dryRun: flags.dryRun,
        agent: flags.agent,
      });
      reportMerge(ctx, result);
      if (
        result.blockedBy ||
        result.branches.some((b) => b.status === "would conflict")
      ) {
        process.exitCode = 1;
      }
    });
  return examples(cmd, [
    "maos orchestration merge a1b2 --dry-run",
    "maos orchestration merge a1b2",
    "maos orchestration merge a1b2 --agent developer-001",
    "maos orchestration merge a1b2 --into release --squash",
  ]);
}

/** What a merge did (or would do); with --json, the result object. */
export function reportMerge(ctx: CliContext, result: MergeBackResult): void {
  if (ctx.json) return printJson(ctx, result);
  const c = colors();
  const id8 = shortId(result.id);
  const pending = result.branches.filter((b) => b.status !== "already merged");
  if (pending.length === 0) {
    ctx.out(
      `Nothing to merge: the ${
        result.skipped.length ? "rest of the " : ""
      }work of ${id8} is already in ${result.into}.`,
    );
  } else if (result.dryRun) {
    ctx.out(
      `Dry run: nothing was changed. Merging ${id8} into ${result.into} would bring:`,
    );
  } else {
    ctx.out(
      `${c.green("✓")} Merged ${id8} into ${result.into}${
        result.squash ? " (squashed)" : ""
      } at ${result.commit?.slice(0, 8)}:`,
    );
  }
  for (const b of pending) {
    const files = b.files.slice(0, 8).join(", ") +
      (b.files.length > 8 ? `, … (${b.files.length} files)` : "");
    ctx.out(`  ${b.branch}  ${files}`);
    if (b.conflicts) {
      ctx.out(
        `    ${c.red("✗")} would conflict in ${
          b.conflicts.join(", ") || "(files git did not name)"
        }`,
      );
    }
  }
  for (const k of result.skipped) {
    ctx.out(
      `  ${k.agent}: not merged, its work was ${
        k.kind === "discarded" ? "discarded" : "removed with --force"
      } (kept in ${k.ref})`,
    );
  }
  if (result.blockedBy) {
    ctx.warn(
      `the merge would be refused: your uncommitted changes in ${result.blockedBy.checkout} (${
        result.blockedBy.files.slice(0, 5).join(", ")
      }) would be overwritten; commit or stash them first`,
    );
  }
  for (const b of result.branches.filter((b) => b.holdsDiscarded)) {
    ctx.warn(
      `${b.branch} holds the discarded work of ${
        b.holdsDiscarded!.join(", ")
      } (merged into it for its task)${
        result.dryRun ? "" : "; it came in with this merge"
      }`,
    );
  }
  const leftOut = result.branches.filter((b) => b.maosLeftOut);
  if (leftOut.length > 0) {
    ctx.warn(
      `${
        leftOut.map((b) => b.agent).join(", ")
      } changed the project's .maos/; that was left out (maos never merges .maos/)`,
    );
  }
  for (const u of result.uncommitted) {
    ctx.warn(
      `${u.agent} has uncommitted work that is not merged (${
        u.files.slice(0, 5).join(", ")
      }${
        u.files.length > 5 ? ", …" : ""
      }); resume it to finish, or commit it in its worktree`,
    );
  }
}

export function removeCommand() {
  const cmd = new Command("remove")
    .description(
      "delete an orchestration with its agents' worktrees and branches " +
        "(refused while an agent has work not merged or not committed)",
    )
    .argument("<id>", "orchestration id or prefix")
    .option(
      "--force",
      "remove it even when work is not merged or not committed " +
        "(that work is saved first to refs/maos/<id>/<agent>.forced)",
    )
    .option(
      "--dry-run",
      "show what would be removed or kept and why, change nothing " +
        "(exit 0: it would be removed, 1: it would be refused)",
    )
    .action(async (id, flags, command) => {
      const ctx = contextOf(command);
      const result = await removeOrchestration(storePaths(ctx), id, {
        force: flags.force,
        dryRun: flags.dryRun,
      });
      const refused = result.agents.filter((a) => a.action === "kept");
      // A dry run that would be refused says why, and exits 1 like the removal would.
      if (refused.length > 0) process.exitCode = 1;
      if (ctx.json) return printJson(ctx, result);
      const id8 = shortId(result.id);
      ctx.out(
        !result.dryRun
          ? `${colors().green("✓")} Removed orchestration ${id8}`
          : refused.length
          ? `Dry run: nothing was changed. Removing ${id8} would be refused (add --force to remove it anyway):`
          : `Dry run: nothing was changed. Removing ${id8} would delete it and:`,
      );
      for (const a of result.agents) {
        ctx.out(
          a.action === "kept"
            ? `  ${a.agent}: keeps ${a.branch}: ${a.reason}`
            : `  ${a.agent}: worktree and branch ${a.branch}${
              a.savedTo ? ` (its work saved first to ${a.savedTo})` : ""
            }`,
        );
      }
      if (result.filesRefsKept && result.agents.length > 0) {
        ctx.note(
          `Its saved files (refs/maos/${result.id}/*) stay: checkpoints name them.`,
        );
      }
    });
  return examples(cmd, [
    "maos orchestration remove a1b2 --dry-run",
    "maos orchestration remove a1b2",
    "maos orchestration remove a1b2 --force",
  ]);
}
