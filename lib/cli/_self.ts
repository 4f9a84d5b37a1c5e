/**
 * How to start this same program again (for `orchestrate --detach`), under
 * whatever runs it: `deno run main.ts`, a `bun build --compile` binary,
 * `bun main.ts` or node.
 *
 * @module
 */

import * as path from "node:path";

/** argv (executable first) that starts maos again, before its own arguments. */
export function selfCommand(
  proc: {
    execPath: string;
    argv: string[];
    execArgv: string[];
    versions: Record<string, string | undefined>;
  } = process,
): string[] {
  const exec = proc.execPath;
  const script = proc.argv[1];
  if (proc.versions.deno) {
    // `deno run main.ts` (execPath is deno) vs a `deno compile` binary.
    const isDeno = /^deno(\.exe)?$/i.test(path.basename(exec));
    return isDeno && script ? [exec, "run", "-A", script] : [exec];
  }
  if (proc.versions.bun) {
    // A compiled Bun binary reports its embedded entry under /$bunfs/ (or B:/~BUN/).
    const compiled = !script || script.startsWith("/$bunfs/") ||
      script.includes("~BUN");
    return compiled ? [exec] : [exec, script];
  }
  return script ? [exec, ...proc.execArgv, script] : [exec];
}
