import { Command } from "@commander-js/extra-typings";
import { runDoctor } from "../../store/doctor.ts";
import { corruptError } from "../../store/errors.ts";
import { foldEvent } from "../queries/state_fold.ts";
import { checkWorktrees } from "../workspace/doctor.ts";
import { colors, createSteps, plural, printable } from "../ui/mod.ts";
import { examples } from "./_util.ts";
import { contextOf, printJson, storePaths } from "./context.ts";

/** `maos doctor [--repair]`: exit 4 when problems remain. */
export function doctorCommand() {
  const cmd = new Command("doctor")
    .description(
      "check every file in .maos/: JSON, torn tails, seq gaps, snapshot vs log, " +
        "stale locks, orphaned agent processes; and the agents' git worktrees and branches",
    )
    .option(
      "--repair",
      "fix what is safe: cut torn tails, rebuild state.json from the log, " +
        "remove stale locks, end orphans, make missing worktrees and branches again",
    )
    .action(async (flags, command) => {
      const ctx = contextOf(command);
      const paths = storePaths(ctx);
      const check = async () => {
        const report = await runDoctor(paths, foldEvent, Boolean(flags.repair));
        // The agents' git worktrees and branches (orchestrations that use them).
        const more = await checkWorktrees(paths, Boolean(flags.repair));
        report.findings.push(...more);
        report.unresolved += more.filter((f) =>
          f.level === "error" && !f.repaired
        ).length;
        return report;
      };
      // Reading every log whole can take a while on long histories: say so.
      const count = paths.listOrchestrationIds().length;
      const report = ctx.json || ctx.quiet
        ? await check()
        : await createSteps(process.stderr, { color: ctx.stderrColor }).run(
          `Read every file of ${plural(count, "orchestration")}`,
          check,
        );
      if (ctx.json) {
        printJson(ctx, report);
      } else {
        const c = colors();
        const mark = {
          ok: c.green("✓"),
          warning: c.yellow("!"),
          error: c.red("✗"),
        };
        for (const f of report.findings) {
          const line = `${mark[f.level]} ${f.file}: ${
            findingMessage(f.file, f.message, paths.root)
          }`;
          ctx.out(f.repaired ? `${line} ${c.green("(repaired)")}` : line);
        }
        const warnings =
          report.findings.filter((f) => f.level === "warning" && !f.repaired)
            .length;
        if (report.unresolved === 0) {
          ctx.out(
            `${c.green("✓")} No problems${
              warnings ? ` (${plural(warnings, "warning")})` : ""
            }.`,
          );
        }
      }
      if (report.unresolved > 0) {
        throw corruptError(
          `${plural(report.unresolved, "problem")} found in ${paths.root}`,
          flags.repair
            ? "the rest needs a person: restore the named files from git or a backup"
            : "fix what is safe with: maos doctor --repair",
        );
      }
    });
  return examples(cmd, [
    "maos doctor",
    "maos doctor --repair",
    "maos doctor --json | jq '.findings[] | select(.level != \"ok\")'",
  ]);
}

/**
 * A finding's message as the doctor line shows it, after the file's name:
 * printable, and without the file's absolute path in front (errors from the
 * store name the file they are about; the line already does).
 *
 * @example
 * ```ts
 * findingMessage(".maos/o/1/events.jsonl", "/p/.maos/o/1/events.jsonl line 5 is corrupt", "/p/.maos");
 * // "line 5 is corrupt"
 * ```
 */
export function findingMessage(
  file: string,
  message: string,
  root: string,
): string {
  const absolute = file === ".maos" || file.startsWith(".maos/")
    ? root + file.slice(".maos".length)
    : file;
  for (const named of [absolute, file]) {
    if (
      message.startsWith(named) &&
      /^(?:$|[\s:,])/.test(message.slice(named.length))
    ) {
      return printable(message.slice(named.length).replace(/^[\s:,]+/, ""));
    }
  }
  return printable(message);
}
