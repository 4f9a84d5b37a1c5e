/**
 * maos entry point. `maos --version` is answered before anything else is
 * loaded (scripts and health checks call it often); every other command
 * loads the command tree and runs it (lib/cli/main.ts).
 *
 * @module
 */

import { VERSION } from "./lib/version.ts";

export async function main(argv: string[]): Promise<number> {
  const args = argv.slice(2);
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    // console.log, not process.stdout: the first touch of process.stdout
    // loads Node's stream machinery, which doubled the compiled start-up.
    console.log(VERSION);
    return 0;
  }
  const cli = await import("./lib/cli/main.ts");
  cli.ignoreClosedStdout();
  return await cli.main(argv);
}

if (import.meta.main) {
  // No top-level await: the compiled binary is precompiled to bytecode.
  main(process.argv).then((code) => (process.exitCode = code));
}
