/**
 * Runs the command tree and is the only place that turns errors into
 * output and exit codes (DESIGN.md §6).
 *
 * @module
 */

import { CommanderError } from "@commander-js/extra-typings";
import { ExitCode, MaosError } from "../../store/errors.ts";
import { buildProgram, lastUsageErrorCommand } from "./program.ts";
import { surviveClosedPipes } from "./closed_pipes.ts";

/** Run maos with `argv` (as process.argv: runtime and script first); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  const debug = process.env.MAOS_DEBUG === "1";
  const say = (line: string) => process.stderr.write(line + "\n");
  if (err instanceof CommanderError) {
    if (
      err.code === "commander.helpDisplayed" || err.code === "commander.version"
    ) return ExitCode.ok;
    // Help shown because a command group was given no subcommand: a usage error.
    if (err.code === "commander.help") {
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    const message = err.message.replace(/^error:\s*/, "").replace(
      /\s*\n\s*/g,
      " ",
    );
    say(`maos: ${message} (see: ${lastUsageErrorCommand()} --help)`);
    return ExitCode.usage;
  }
  if (err instanceof MaosError) {
    say(`maos: ${err.message}`);
    if (err.hint) say(`hint: ${err.hint}`);
    if (debug && err.stack) say(err.stack);
    return err.code;
  }
  const message = err instanceof Error ? err.message : String(err);
  say(`maos: unexpected error: ${message.split("\n")[0]}`);
  if (debug && err instanceof Error && err.stack) say(err.stack);
  else say("hint: run again with MAOS_DEBUG=1 for details");
  return ExitCode.failed;
}

/**
 * `maos … | head` closes the pipe early: the command goes on without that
 * output (see closed_pipes.ts) instead of ending half-saved.
 */
export function ignoreClosedStdout(): void {
  surviveClosedPipes();
}
