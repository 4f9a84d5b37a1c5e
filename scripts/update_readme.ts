/**
 * Regenerate the README's tour from a real run: each `<!-- tour:NAME -->`
 * block gets the output of real maos commands in a scratch project, and the
 * `<!-- bench -->` block the table generated from docs/bench.json.
 *
 *   deno run -A scripts/update_readme.ts
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { realClaudeTour, realGeminiTour } from "./_tour_real_claude.ts";

const repo = path.resolve(import.meta.dirname ?? ".", "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "maos-tour-"));
const project = path.join(work, "my-project");
fs.mkdirSync(project);
fs.cpSync(path.join(repo, "examples"), path.join(project, "examples"), {
  recursive: true,
});
fs.writeFileSync(
  path.join(project, "app.ts"),
  "// TODO: handle errors\nexport const answer = 42;\n",
);
git("init", "-q");
git("add", "-A");
git(
  "-c",
  "user.email=tour@example.com",
  "-c",
  "user.name=tour",
  "commit",
  "-qm",
  "start",
);

const env = {
  ...process.env,
  NO_COLOR: "1",
  MAOS_SIM_SPEED: "0.3",
  COLUMNS: "100",
};
const maosArgv = process.env.MAOS_BIN
  ? [process.env.MAOS_BIN]
  : [Deno.execPath(), "run", "-A", path.join(repo, "main.ts")];

function git(...args: string[]) {
  spawnSync("git", args, { cwd: project });
}

/** Run maos; `shown` is the command with its stdout and stderr interleaved, as a terminal shows them. */
function maos(args: string[]): { shown: string; code: number | null } {
  const result = spawnSync("/bin/sh", [
    "-c",
    'exec "$@" 2>&1',
    "sh",
    ...maosArgv,
    ...args,
  ], {
    cwd: project,
    env,
    encoding: "utf8",
  });
  return {
    shown: `$ maos ${quote(args)}\n${result.stdout}`.trimEnd(),
    code: result.status,
  };
}

/** Run maos for its stdout alone (JSON). */
function maosStdout(args: string[]): string {
  return spawnSync(maosArgv[0], [...maosArgv.slice(1), ...args], {
    cwd: project,
    env,
    encoding: "utf8",
  }).stdout;
}

function quote(args: string[]): string {
  return args.map((a) => (/[\s"]/.test(a) ? `"${a}"` : a)).join(" ");
}

/** Run maos in the background and send SIGINT once `marker` appears in its output. */
async function maosInterrupted(
  args: string[],
  marker: string,
): Promise<string> {
  const child = new Deno.Command("/bin/sh", {
    args: ["-c", 'exec "$@" 2>&1', "sh", ...maosArgv, ...args],
    cwd: project,
    env,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  let output = "";
  let pressedAt = -1;
  const decoder = new TextDecoder();
  const reader = child.stdout.getReader();
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    output += decoder.decode(value);
    if (pressedAt < 0 && output.includes(marker)) {
      pressedAt = output.length;
      child.kill("SIGINT");
    }
  }
  const status = await child.status;
  const shown = pressedAt < 0
    ? output
    : `${output.slice(0, pressedAt)}^C\n${output.slice(pressedAt)}`;
  return `$ maos ${quote(args)}\n${shown}`.trimEnd() +
    `\n$ echo $?\n${status.code}`;
}

const blocks: Record<string, string> = {};
blocks.init = maos(["init"]).shown;
blocks.orchestrate = maos([
  "orchestrate",
  "Audit this repository",
  "--plan",
  "examples/audit.yaml",
]).shown;
blocks.pause = await maosInterrupted([
  "orchestrate",
  "Review the error handling",
  "--driver",
  "sim",
  "--agents",
  "analyst,developer,tester",
], "[developer-001] [simulated]");
blocks.resume = maos(["orchestration", "resume"]).shown;
const list = maos(["orchestration", "list"]);
blocks.list = list.shown;
const ids = JSON.parse(maosStdout(["orchestration", "list", "--json"])) as {
  id: string;
}[];
const audit = ids[ids.length - 1].id.slice(0, 8);
blocks.status = maos(["orchestration", "status", audit]).shown;
blocks.messages = maos(["message", "list", audit, "--limit", "5"]).shown;
blocks.agents = maos(["agent", "list", audit]).shown;
blocks.report = maos(["orchestration", "report", audit, "--out", "report.html"])
  .shown;
blocks["list-json"] =
  maos(["orchestration", "list", "--json", "--limit", "1"]).shown;
const checkpoint = maos([
  "recover",
  "checkpoint",
  "--orchestration",
  audit,
  "--name",
  "before-refactor",
]).shown;
blocks.recover = [checkpoint, maos(["recover", "list", "--limit", "3"]).shown]
  .join("\n\n");
blocks.doctor = maos(["doctor"]).shown;
blocks.errors = [
  maos(["orchestration", "status", "zzzz"]).shown,
  maos(["orchestration", "status", "0000"]).shown,
  maos(["orchestrate", "x", "--plan", "missing.yaml"]).shown,
].join("\n\n");

// The audit ran in git worktrees: a restore brings the analyst's report back
// to before it was written, a resume writes it again, and a merge brings it in.
const autoCheckpoints = (JSON.parse(
  maosStdout(["recover", "list", "--orchestration", audit, "--json"]),
) as { id: string; auto: boolean }[]).filter((c) => c.auto);
const beforeSummary = autoCheckpoints[1].id.slice(0, 8);
blocks.worktrees = [
  maos(["recover", "restore", beforeSummary]).shown,
  maos(["--quiet", "orchestration", "resume", audit]).shown,
  maos(["orchestration", "merge", audit]).shown,
].join("\n\n");
// The real Claude Code against the model stand-in, in a project of its own;
// skipped (the README's block kept) when the pinned CLIs are not installed.
const realClaude = await realClaudeTour(maosArgv, env);
if (realClaude) blocks["real-claude"] = realClaude;
else console.error("tour: real-claude skipped (run `deno task agent-clis`)");
const realGemini = await realGeminiTour(maosArgv, env);
if (realGemini) blocks["real-gemini"] = realGemini;
else console.error("tour: real-gemini skipped (run `deno task agent-clis`)");

const readmePath = path.join(repo, "README.md");
let readme = fs.readFileSync(readmePath, "utf8");
for (const [name, text] of Object.entries(blocks)) {
  const pattern = new RegExp(
    `<!-- tour:${name} -->[\\s\\S]*?<!-- /tour:${name} -->`,
  );
  readme = readme.replace(
    pattern,
    `<!-- tour:${name} -->\n\`\`\`console\n${text}\n\`\`\`\n<!-- /tour:${name} -->`,
  );
}
const benchFile = path.join(repo, "docs", "bench.json");
if (
  fs.existsSync(benchFile) &&
  fs.existsSync(path.join(repo, "scripts", "bench_table.ts"))
) {
  const table = spawnSync(Deno.execPath(), [
    "run",
    "-A",
    path.join(repo, "scripts", "bench_table.ts"),
    benchFile,
  ], { encoding: "utf8" });
  if (table.status === 0) {
    readme = readme.replace(
      /<!-- bench -->[\s\S]*?<!-- \/bench -->/,
      `<!-- bench -->\n${table.stdout.trim()}\n<!-- /bench -->`,
    );
  }
}
const tortureFile = path.join(repo, "docs", "torture-last-run.json");
if (fs.existsSync(tortureFile)) {
  readme = readme.replace(
    /<!-- torture -->[\s\S]*?<!-- \/torture -->/,
    `<!-- torture -->\n${
      tortureSummary(JSON.parse(fs.readFileSync(tortureFile, "utf8")))
    }\n<!-- /torture -->`,
  );
}
fs.writeFileSync(readmePath, readme);
// Leave it as `deno fmt` wants it, so `deno task test` (fmt --check) stays clean.
spawnSync(Deno.execPath(), ["fmt", readmePath], { stdio: "ignore" });
fs.rmSync(work, { recursive: true, force: true });
console.log(`README.md updated (${Object.keys(blocks).length} tour blocks)`);

/** One paragraph from docs/torture-last-run.json. */
function tortureSummary(run: {
  trials: number;
  passed: number;
  kills: number;
  durationSeconds: number;
  finishedAt: string;
  dataInvariantsBroken?: number;
  failedTrials?: { trial: number; failures: string[] }[];
}): string {
  const lines = [
    `**${run.passed} of ${run.trials} trials passed** (${run.kills} SIGKILLs, ${
      Math.round(run.durationSeconds / 60)
    } min, ${run.finishedAt.slice(0, 10)})` +
    (run.dataInvariantsBroken === undefined
      ? "."
      : `; data invariants broken: ${run.dataInvariantsBroken}.`),
  ];
  for (const failed of run.failedTrials ?? []) {
    lines.push(`- trial ${failed.trial}: ${failed.failures[0].slice(0, 160)}`);
  }
  return lines.join("\n");
}
