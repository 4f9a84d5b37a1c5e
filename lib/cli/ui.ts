/**
 * `maos ui [--port N]`: serve the live report pages of this `.maos/` on
 * 127.0.0.1 until Ctrl-C. The server is lib/report/ui_server.ts.
 *
 * @module
 */
import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import { startUiServer } from "../report/ui_server.ts";
import { examples, intArg, interruptSignal } from "./_util.ts";
import { contextOf, printJson, storePaths } from "./context.ts";

export function uiCommand() {
  const cmd = new Command("ui")
    .description(
      "serve every orchestration's report page, live, on 127.0.0.1 " +
        "(read-only; the printed URL carries a token; Ctrl-C stops)",
    )
    .option("--port <n>", "port to listen on (0: any free port)", portArg, 0)
    .action(async (flags, command) => {
      const ctx = contextOf(command);
      const paths = storePaths(ctx);
      const stop = interruptSignal();
      try {
        const server = await startUiServer({ paths, port: flags.port });
        if (ctx.json) {
          printJson(ctx, { url: server.url, port: server.port });
        } else {
          ctx.out(`maos ui: ${server.url}`);
          ctx.note(
            "Open it in a browser on this machine. Pages update as events are logged. Ctrl-C stops.",
          );
        }
        await new Promise<void>((resolve) => {
          if (stop.signal.aborted) return resolve();
          stop.signal.addEventListener("abort", () => resolve(), {
            once: true,
          });
        });
        await server.close();
        ctx.note("maos ui stopped.");
      } finally {
        stop.dispose();
      }
    });
  return examples(cmd, [
    "maos ui",
    "maos ui --port 8377",
    "maos --json ui --port 0 | jq -r .url",
  ]);
}

function portArg(value: string): number {
  const port = intArg(0)(value);
  if (port > 65535) {
    throw new InvalidArgumentError("expected a port from 0 to 65535");
  }
  return port;
}
