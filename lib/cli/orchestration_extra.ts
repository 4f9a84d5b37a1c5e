/**
 * `maos orchestration checkpoint | save-interval | export | import`: the
 * orchestration commands that write (the rest of the group only reads or runs).
 *
 * @module
 */

import * as path from "node:path";
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import {
  findOrCreateMaosDir,
  loadConfig,
  updateConfig,
} from "../../store/config.ts";
import { ExitCode, MaosError } from "../../store/errors.ts";
import { Journal } from "../../store/journal.ts";
import { MaosPaths } from "../../store/paths.ts";
import { MAX_SAVE_INTERVAL_SECONDS } from "../../store/schema.ts";
import { checkpointOrchestrations } from "../recovery/checkpoint_take.ts";
import { resolveOrchestrationId } from "../queries/choose.ts";
import { runningElsewhereError } from "../queries/running_elsewhere.ts";
import { foldEvent } from "../queries/state_fold.ts";
import {
  exportOrchestration,
  importOrchestration,
  type TransferResult,
} from "../recovery/transfer.ts";
import { colors } from "../ui/mod.ts";
import { examples, secondsArg, shortId } from "./_util.ts";
import {
  type CliContext,
  contextOf,
  printJson,
  storePaths,
} from "./context.ts";
import { reportCheckpoint } from "./recover_render.ts";

/**
 * Adds `checkpoint`, `save-interval`, `export` and `import` under
 * `maos orchestration`.
 */
export function addOrchestrationExtraCommands(orchestration: Command): void {
  orchestration.addCommand(checkpointCommand());
  orchestration.addCommand(saveIntervalCommand());
  orchestration.addCommand(exportCommand());
  orchestration.addCommand(importCommand());
}

function checkpointCommand() {
  const cmd = new Command("checkpoint")
    .description("save a manual checkpoint of one orchestration")
    .argument("<id>", "orchestration id or prefix")
    .option("--name <name>", "a name to find it by (default manual-DATE-TIME)")
    .action(async (id, flags, command) => {
      const ctx = contextOf(command);
      const result = await checkpointOrchestrations(storePaths(ctx), {
        name: flags.name,
        orchestrationId: id,
      });
      reportCheckpoint(ctx, result);
    });
  return examples(cmd, [
    "maos orchestration checkpoint a1b2",
    "maos orchestration checkpoint a1b2 --name before-refactor",
  ]);
}

function saveIntervalCommand() {
  const cmd = new Command("save-interval")
    .description(
      "set how often the state is saved: for all orchestrations, or for one",
    )
    .argument(
      "<seconds>",
      `seconds between auto-saves, 1 to ${MAX_SAVE_INTERVAL_SECONDS}`,
      saveIntervalArg,
    )
    .argument("[id]", "only this orchestration (id or prefix)")
    .action(async (seconds, id, _flags, command) => {
      const ctx = contextOf(command);
      const paths = storePaths(ctx);
      if (id === undefined) {
        await updateConfig(paths, (config) => {
          config.saveIntervalSeconds = seconds;
        });
        if (ctx.json) return printJson(ctx, { saveIntervalSeconds: seconds });
        ctx.out(
          `${
            colors().green("✓")
          } Auto-save every ${seconds} s (all orchestrations)`,
        );
        return;
      }
      const full = resolveOrchestrationId(paths, id);
      await setOrchestrationInterval(paths, full, seconds);
      if (ctx.json) {
        return printJson(ctx, { id: full, saveIntervalSeconds: seconds });
      }
      ctx.out(
        `${colors().green("✓")} Auto-save every ${seconds} s for ${
          shortId(full)
        }`,
      );
    });
  return examples(cmd, [
    "maos orchestration save-interval 60",
    "maos orchestration save-interval 10 a1b2",
  ]);
}

/**
 * Seconds from 1 to a day: a longer interval would overflow the timer
 * (TimeoutOverflowWarning) and save too rarely to be of use anyway.
 */
function saveIntervalArg(value: string): number {
  const seconds = secondsArg(value);
  if (seconds < 1 || seconds > MAX_SAVE_INTERVAL_SECONDS) {
    throw new InvalidArgumentError(
      `expected 1 to ${MAX_SAVE_INTERVAL_SECONDS} seconds (a day)`,
    );
  }
  return seconds;
}

/** Record the setting in the orchestration's log; refused (exit 3) while it runs. */
async function setOrchestrationInterval(
  paths: MaosPaths,
  id: string,
  seconds: number,
): Promise<void> {
  const { durability } = await loadConfig(paths);
  let journal: Journal;
  try {
    journal = Journal.open(
      paths,
      id,
      foldEvent,
      durability,
      "maos orchestration save-interval",
    );
  } catch (err) {
    if (err instanceof MaosError && err.code === ExitCode.locked) {
      throw runningElsewhereError(
        paths,
        id,
        "its save interval cannot be changed now",
        "set the global interval for the next runs: " +
          "maos orchestration save-interval SECONDS",
      );
    }
    throw err;
  }
  try {
    journal.append({
      type: "orchestration.settings",
      saveIntervalSeconds: seconds,
    });
  } finally {
    await journal.close();
  }
}

function exportCommand() {
  const cmd = new Command("export")
    .description(
      "write an orchestration (state, log, agent output) to one portable file",
    )
    .argument("<id>", "orchestration id or prefix")
    .argument("<file>", "where to write it")
    .action(async (id, file, _flags, command) => {
      const ctx = contextOf(command);
      const paths = storePaths(ctx);
      const result = await exportOrchestration(
        paths,
        resolveOrchestrationId(paths, id),
        file,
        ctx.location.cwd,
      );
      report(ctx, "Exported", result, file);
    });
  return examples(cmd, [
    "maos orchestration export a1b2 audit.maos.json",
    "maos --dir ../other/.maos orchestration import audit.maos.json",
  ]);
}

function importCommand() {
  const cmd = new Command("import")
    .description(
      "bring in an orchestration exported with `maos orchestration export`",
    )
    .argument("<file>", "the exported file")
    .action(async (file, _flags, command) => {
      const ctx = contextOf(command);
      // Like orchestrate, import into a new .maos/ here when there is none.
      const root = await findOrCreateMaosDir(ctx.location);
      const result = await importOrchestration(
        new MaosPaths(root),
        file,
        ctx.location.cwd,
      );
      report(ctx, "Imported", result, file);
      if (!ctx.json) {
        ctx.note(
          `Show it with: maos orchestration status ${shortId(result.id)}`,
        );
      }
    });
  return examples(cmd, [
    "maos orchestration import audit.maos.json",
    "maos --dir ../other/.maos orchestration import audit.maos.json",
  ]);
}

function report(
  ctx: CliContext,
  verb: string,
  result: TransferResult,
  file: string,
): void {
  if (ctx.json) return printJson(ctx, result);
  const shown = path.isAbsolute(file) ? file : path.normalize(file);
  ctx.out(
    `${colors().green("✓")} ${verb} ${shortId(result.id)} ` +
      `(${result.events} events, ${result.agents} agents) ${
        verb === "Exported" ? "to" : "from"
      } ${shown}`,
  );
}
