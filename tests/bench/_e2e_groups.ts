/**
 * The end-to-end groups of `deno task bench:report` (see _e2e.ts): messages
 * and output lines through the whole engine, as a user runs it. The figures
 * with goals use the compiled binary (as `startup_vs_hello` does); the
 * `_deno` ones run the same from source.
 *
 * @module
 */
import * as path from "node:path";
import {
  bareToFile,
  E2eProject,
  messagesCommand,
  outputCommand,
  sqliteMessages,
} from "./_e2e.ts";
import { mcpGroup } from "./_e2e_mcp.ts";
import {
  type BenchContext,
  type Group,
  interleaved,
  peakRssMb,
} from "./_figures.ts";

/** 20,000 messages: one agent, or 8 agents × 2,500. */
const MESSAGES = 20_000;
const AGENTS = 8;
const OUTPUT_LINES = 1_000_000;
const RSS_MESSAGES = 100_000;

const projects = new Map<string, Promise<E2eProject>>();

/** One project per report, created on first use. */
function project(ctx: BenchContext): Promise<E2eProject> {
  let made = projects.get(ctx.dir);
  if (!made) {
    made = E2eProject.create(path.join(ctx.dir, "e2e"));
    projects.set(ctx.dir, made);
  }
  return made;
}

function fromSource(): string[] {
  return [Deno.execPath(), "run", "-A", path.resolve("main.ts")];
}

const messages: Group = {
  name: "end to end: messages",
  figures: [{
    name: "e2e_messages_vs_sqlite_normal",
    goal: { op: ">=", value: 1.0 },
    unit: "ratio",
    description:
      "messages/s, 20,000 `::maos::info::` lines from one shell agent through `maos orchestrate --quiet` (compiled binary, process start included) ÷ 20,000 single-row INSERTs of the same messages into SQLite (WAL, synchronous=NORMAL; open and close included)",
  }, {
    name: "e2e_messages_vs_sqlite_normal_deno",
    goal: null,
    unit: "ratio",
    description: "the same, maos run from source with `deno run -A main.ts`",
  }, {
    name: "e2e_messages_8_agents_vs_1",
    goal: { op: ">=", value: 0.8 },
    unit: "ratio",
    description:
      "messages/s, 8 shell agents × 2,500 messages at once ÷ 1 agent × 20,000 (compiled binary)",
  }],
  async run(ctx, index) {
    const p = await project(ctx);
    const { maos } = ctx.binaries();
    const one = p.plan([messagesCommand(MESSAGES)]);
    const per = MESSAGES / AGENTS;
    const many = p.plan(
      Array.from(
        { length: AGENTS },
        (_, i) => messagesCommand(per, i * per),
      ),
    );
    const db = path.join(ctx.dir, `e2e-${index}.db`);
    const r = await interleaved({
      maos: () => Promise.resolve(p.orchestrate([maos], one, 1)),
      sqlite: () => Promise.resolve(sqliteMessages(db, MESSAGES)),
      deno: () => Promise.resolve(p.orchestrate(fromSource(), one, 1)),
      eight: () => Promise.resolve(p.orchestrate([maos], many, AGENTS)),
    }, index);
    const rate = (ms: number) => MESSAGES / (ms / 1000);
    return {
      e2e_messages_vs_sqlite_normal: {
        value: r.sqlite / r.maos,
        parts: { maosPerSecond: rate(r.maos), sqlitePerSecond: rate(r.sqlite) },
      },
      e2e_messages_vs_sqlite_normal_deno: {
        value: r.sqlite / r.deno,
        parts: { maosPerSecond: rate(r.deno), sqlitePerSecond: rate(r.sqlite) },
      },
      e2e_messages_8_agents_vs_1: {
        value: r.maos / r.eight,
        parts: { eightPerSecond: rate(r.eight), onePerSecond: rate(r.maos) },
      },
    };
  },
};

const output: Group = {
  name: "end to end: output lines",
  figures: [{
    name: "e2e_output_lines_vs_bare",
    goal: { op: ">=", value: 0.2 },
    unit: "ratio",
    description:
      "lines/s, 1,000,000 plain output lines from one shell agent through `maos orchestrate --quiet` (compiled binary) ÷ the same command piped to a file",
  }],
  async run(ctx, index) {
    const p = await project(ctx);
    const { maos } = ctx.binaries();
    const command = outputCommand(OUTPUT_LINES);
    const plan = p.plan([command]);
    const file = path.join(ctx.dir, "bare-output.txt");
    const r = await interleaved({
      maos: () => Promise.resolve(p.orchestrate([maos], plan, 1)),
      bare: () => Promise.resolve(bareToFile(command, file)),
    }, index);
    return {
      e2e_output_lines_vs_bare: {
        value: r.bare / r.maos,
        parts: { maosMs: r.maos, bareMs: r.bare },
      },
    };
  },
};

const memory: Group = {
  name: "end to end: memory",
  figures: [{
    name: "e2e_100k_messages_peak_rss_mb",
    goal: { op: "<=", value: 100 },
    unit: "MB",
    description:
      "peak resident memory (VmHWM) of `maos orchestrate --quiet` (compiled binary) while one shell agent prints 100,000 messages",
  }, {
    name: "e2e_100k_messages_peak_rss_mb_deno",
    goal: null,
    unit: "MB",
    description: "the same, run from source with `deno run -A main.ts`",
  }],
  async run(ctx) {
    const p = await project(ctx);
    const { maos } = ctx.binaries();
    const plan = p.plan([messagesCommand(RSS_MESSAGES)]);
    const measure = (argv: string[]) => {
      const mb = peakRssMb(p.argv(argv, plan, 1), p.dir);
      p.clear();
      return mb;
    };
    return {
      e2e_100k_messages_peak_rss_mb: { value: measure([maos]) },
      e2e_100k_messages_peak_rss_mb_deno: { value: measure(fromSource()) },
    };
  },
};

export const E2E_GROUPS: Group[] = [messages, output, memory, mcpGroup];
