import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "@commander-js/extra-typings";
import { initMaosDir } from "../../store/config.ts";
import { findMaosDir, MAOS_DIR_NAME, MaosPaths } from "../../store/paths.ts";
import { loadConfig } from "../../store/config.ts";
import { usageError } from "../../store/errors.ts";
import { colors } from "../ui/mod.ts";
import { examples } from "./_util.ts";
import { contextOf, printJson } from "./context.ts";

/** `maos init`: create `.maos/` in the current directory (or at --dir / MAOS_DIR). */
export function initCommand() {
  const cmd = new Command("init")
    .description("create a .maos/ directory here (harmless if it exists)")
    .option(
      "--force",
      "create one here even though a parent folder has a .maos/ already",
    )
    .action(async (options, command) => {
      const ctx = contextOf(command);
      const explicit = ctx.location.dir ?? ctx.location.env.MAOS_DIR;
      // Unlike other commands, init never uses a .maos/ found in a parent.
      const root = path.resolve(
        ctx.location.cwd,
        explicit ?? MAOS_DIR_NAME,
      );
      if (fs.existsSync(root) && !fs.statSync(root).isDirectory()) {
        throw usageError(
          `${root} is a file, not a directory`,
          "move it away, or put the store elsewhere with --dir PATH",
        );
      }
      if (!explicit && !options.force) refuseSecondStore(ctx.location.cwd);
      const result = await initMaosDir(root);
      const shown = path.relative(ctx.location.cwd, root) || root;
      if (ctx.json) {
        printJson(ctx, { root, created: result.created });
        return;
      }
      const c = colors();
      if (result.created) {
        ctx.out(`${c.green("✓")} Initialized ${shown}/`);
        ctx.note(
          `Commit it to share orchestrations with your team. Next: maos orchestrate "…"`,
        );
        ctx.note(limitsLine(await loadConfig(new MaosPaths(root))));
      } else {
        ctx.out(`${c.green("✓")} ${shown}/ already initialized`);
      }
    });
  return examples(cmd, [
    "maos init",
    "maos init --force   # a second store in a subfolder of a project that has one",
    "maos --dir ../shared/.maos init",
    "MAOS_DIR=/tmp/scratch/.maos maos init",
  ]);
}

/** The spending and waiting limits maos.json starts with, said once at init. */
function limitsLine(config: {
  budgetUsd: number | null;
  budgetTokens: number | null;
  stallWarnSeconds: number;
  turnTimeoutSeconds: number;
  planTimeoutSeconds: number;
  modelRetries: number;
}): string {
  const budget = config.budgetUsd !== null
    ? `budget $${config.budgetUsd}`
    : config.budgetTokens !== null
    ? `budget ${config.budgetTokens} tokens`
    : "no budget (set budgetUsd, or --budget USD)";
  return `Limits in maos.json: ${budget}; stall notice after ${config.stallWarnSeconds} s ` +
    `(stallWarnSeconds), turns stopped after ${config.turnTimeoutSeconds} s (turnTimeoutSeconds), ` +
    `the planner after ${config.planTimeoutSeconds} s (planTimeoutSeconds), ` +
    `${config.modelRetries} retries of an unreachable model (modelRetries)`;
}

/**
 * A subfolder of a project with a `.maos/` would quietly get a second store
 * that hides the first from every command run below it: say where the
 * existing one is, and make a second one ask for --force.
 */
function refuseSecondStore(cwd: string): void {
  const here = path.resolve(cwd);
  if (fs.existsSync(path.join(here, MAOS_DIR_NAME))) return;
  const parent = path.dirname(here);
  if (parent === here) return;
  const found = findMaosDir({ cwd: parent, env: {} });
  if (!found) return;
  throw usageError(
    `this project already has a store: ${
      path.relative(here, found)
    } (${found})`,
    "maos uses it from here; to make a second one in this folder anyway: maos init --force",
  );
}
