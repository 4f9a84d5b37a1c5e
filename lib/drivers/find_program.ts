/**
 * Find a program the way a spawn would: a name with a "/" is a path, a bare
 * name is looked up in PATH. Used to report a missing agent CLI before an
 * orchestration starts rather than when its first task does.
 */
import { accessSync, constants, statSync } from "node:fs";
import { join } from "node:path";

/**
 * The path that `program` would run, or undefined when there is none.
 *
 * @example
 * findProgram("sh", "/usr/bin:/bin"); // "/usr/bin/sh" or "/bin/sh"
 */
export function findProgram(
  program: string,
  path: string | undefined,
): string | undefined {
  if (program.includes("/")) return isExecutable(program) ? program : undefined;
  for (const dir of (path ?? "").split(":")) {
    // An empty PATH entry means the current directory.
    const candidate = join(dir || ".", program);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
