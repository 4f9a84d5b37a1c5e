import { colorEnabled, setColorEnabled } from "../ui/color.ts";
import type { StoreLocation } from "../engine/run_options.ts";
import { MaosPaths, requireMaosDir } from "../../store/paths.ts";

/** The global flags every command sees (DESIGN.md §5). */
export interface GlobalFlags {
  dir?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean; // commander's --no-color sets this to false
}

/** What a command needs besides its own flags: where the store is, and how to print. */
export interface CliContext {
  location: StoreLocation;
  json: boolean;
  quiet: boolean;
  color: boolean;
  /** Whether stderr may be coloured (live output goes there with --json). */
  stderrColor: boolean;
  /** stdout: results (and only JSON with --json). */
  out(text: string): void;
  /** stderr: progress, hints, warnings (suppressed by --quiet, except errors). */
  note(text: string): void;
  /** stderr: a warning, shown even with --quiet. */
  warn(text: string): void;
}

export function createContext(flags: GlobalFlags): CliContext {
  const color = colorEnabled({
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    noColorFlag: flags.color === false,
  });
  setColorEnabled(color);
  const stderrColor = colorEnabled({
    isTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    noColorFlag: flags.color === false,
  });
  const quiet = Boolean(flags.quiet);
  return {
    location: { dir: flags.dir, env: process.env, cwd: process.cwd() },
    json: Boolean(flags.json),
    quiet,
    color,
    stderrColor,
    out: (text) =>
      process.stdout.write(text.endsWith("\n") ? text : text + "\n"),
    note: (text) => {
      if (!quiet) {
        process.stderr.write(text.endsWith("\n") ? text : text + "\n");
      }
    },
    warn: (text) =>
      process.stderr.write(
        `warning: ${text.endsWith("\n") ? text : text + "\n"}`,
      ),
  };
}

/** The context of a command's action, from its own and its ancestors' flags. */
export function contextOf(
  command: { optsWithGlobals(): unknown },
): CliContext {
  return createContext(command.optsWithGlobals() as GlobalFlags);
}

/** The `.maos/` this command works on; none is a usage error hinting `maos init`. */
export function storePaths(ctx: CliContext): MaosPaths {
  return new MaosPaths(requireMaosDir(ctx.location));
}

/** Print a value as the command's JSON result: 2-space, one trailing newline. */
export function printJson(ctx: CliContext, value: unknown): void {
  ctx.out(JSON.stringify(value, null, 2));
}
