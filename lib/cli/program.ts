/**
 * The command tree of `maos`, built in one place so help and shell
 * completions come from the same declarations and cannot drift.
 *
 * @module
 */

import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import { VERSION } from "../version.ts";
import { examples } from "./_util.ts";
import { agentCommand } from "./agent.ts";
import { completionsCommand } from "./completions.ts";
import { doctorCommand } from "./doctor.ts";
import { initCommand } from "./init.ts";
import { mcpCommand } from "./mcp.ts";
import { messageCommand } from "./message.ts";
import { orchestrateCommand } from "./orchestrate.ts";
import { orchestrationCommand } from "./orchestration.ts";
import { recoverCommand } from "./recover.ts";
import { uiCommand } from "./ui.ts";

/** The full `maos` program. Errors are thrown (exitOverride), never printed here. */
export function buildProgram(): CommandUnknownOpts {
  const program = new Command("maos")
    .description(
      "maos — run a team of AI coding agents on a request, in parallel; " +
        "every step is saved in .maos/ so it can pause and resume anywhere",
    )
    .version(VERSION, "-V, --version", "print the version")
    .option(
      "--dir <path>",
      "the .maos directory to use (default: MAOS_DIR, else the nearest .maos/ upwards)",
    )
    .option("--json", "machine-readable output on stdout (nothing else there)")
    .option("-q, --quiet", "no notes or progress, only results and errors")
    .option(
      "--no-color",
      "no colours (also when NO_COLOR is set or not a terminal)",
    )
    .showSuggestionAfterError(true);
  examples(program, [
    "maos init",
    'maos orchestrate "Add rate limiting to the API"',
    'maos orchestrate "Audit this repository" --plan examples/audit.yaml',
    "maos orchestration list",
    "maos orchestration status --watch",
    "maos orchestration resume",
    "maos recover list",
    "maos completions bash > ~/.local/share/bash-completion/completions/maos",
  ]);
  const tree = program as unknown as CommandUnknownOpts;
  program.addCommand(initCommand());
  program.addCommand(orchestrateCommand());
  program.addCommand(orchestrationCommand());
  program.addCommand(recoverCommand());
  program.addCommand(messageCommand());
  program.addCommand(agentCommand());
  program.addCommand(mcpCommand());
  program.addCommand(uiCommand());
  program.addCommand(doctorCommand());
  program.addCommand(completionsCommand(() => tree));
  finishTree(tree, "maos");
  return tree;
}

/**
 * Settings every command needs, applied after the tree is whole (addCommand
 * does not inherit them): errors are thrown for main.ts to print, `--help`
 * lists the global options too, and a command that brought no Examples
 * section gets a minimal one.
 */
function finishTree(cmd: CommandUnknownOpts, path: string): void {
  cmd.exitOverride();
  cmd.configureHelp({ ...cmd.configureHelp(), showGlobalOptions: true });
  cmd.configureOutput({
    // main.ts prints the error once, in its own format, naming the command.
    outputError: () => {
      usageErrorCommand = path;
    },
  });
  const emitter = cmd as unknown as { listenerCount(event: string): number };
  if (emitter.listenerCount("afterHelp") === 0) {
    examples(cmd, [`${path} --help`]);
  }
  for (const sub of cmd.commands) finishTree(sub, `${path} ${sub.name()}`);
}

let usageErrorCommand = "maos";

/** The command whose arguments commander last refused (for the `--help` pointer). */
export function lastUsageErrorCommand(): string {
  return usageErrorCommand;
}
