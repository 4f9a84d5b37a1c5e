/**
 * `maos orchestration report [ID] [--out FILE]`: one self-contained HTML
 * file of an orchestration (timeline, messages, cost, files). The room
 * lib/report/ builds it; this only parses flags and writes the file.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "@commander-js/extra-typings";
import { writeFileAtomic } from "../../store/atomic_write.ts";
import { usageError } from "../../store/errors.ts";
import { chooseOrchestration } from "../queries/choose.ts";
import { reportHtml } from "../report/page_html.ts";
import { reportData } from "../report/report_data.ts";
import { colors, plural } from "../ui/mod.ts";
import { examples, shortId } from "./_util.ts";
import { contextOf, printJson, storePaths } from "./context.ts";

export function reportCommand() {
  const cmd = new Command("report")
    .description(
      "write one self-contained HTML file of an orchestration: a timeline " +
        "per agent, messages, cost over time, files changed (default: the newest)",
    )
    .argument("[id]", "orchestration id or unique prefix (4+ characters)")
    .option(
      "--out <file>",
      "where to write it ('-' for stdout; default: maos-report-<id8>.html here)",
    )
    .action(async (idArg, flags, command) => {
      const ctx = contextOf(command);
      if (ctx.json && flags.out === "-") {
        throw usageError(
          "--json and --out - both write to stdout (--json: only JSON there)",
          "drop --json to get the page on stdout, or write it to a file: --out report.html",
        );
      }
      const paths = storePaths(ctx);
      const id = chooseOrchestration(paths, idArg);
      const started = performance.now();
      const data = await reportData(paths, id);
      const html = reportHtml(data);
      if (flags.out === "-") {
        process.stdout.write(html);
        return;
      }
      const out = path.resolve(flags.out ?? `maos-report-${shortId(id)}.html`);
      if (fs.existsSync(out) && fs.statSync(out).isDirectory()) {
        throw usageError(
          `${out} is a directory`,
          `name a file: --out ${
            path.join(out, `maos-report-${shortId(id)}.html`)
          }`,
        );
      }
      if (!fs.existsSync(path.dirname(out))) {
        throw usageError(
          `cannot write ${out}: ${path.dirname(out)} does not exist`,
          "create the directory first, or choose another --out",
        );
      }
      writeFileAtomic(out, html);
      const bytes = Buffer.byteLength(html);
      const ms = Math.round(performance.now() - started);
      if (ctx.json) {
        return printJson(ctx, {
          id,
          file: out,
          bytes,
          messages: data.messages.length,
          agents: data.lanes.filter((l) => l.agent).length,
          ms,
        });
      }
      ctx.out(
        `${colors().green("✓")} Report of ${shortId(id)} written to ${
          path.relative(process.cwd(), out) || out
        } (${formatBytes(bytes)}, ${
          plural(data.messages.length, "message")
        }, ${ms} ms)`,
      );
      ctx.note(
        "It needs no network: open it in any browser, attach it, or commit it.",
      );
    });
  return examples(cmd, [
    "maos orchestration report",
    "maos orchestration report a1b2 --out audit.html",
    "maos orchestration report a1b2 --out - > report.html",
    "maos --json orchestration report a1b2 | jq .file",
  ]);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
