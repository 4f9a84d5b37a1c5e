/**
 * The agents' files in a torture trial (see scripts/torture.ts): the trial
 * is a git repository, each shell task appends its tokens to
 * `work-<task>.txt` in its agent's worktree, and these invariants say that
 * every kill keeps the files recoverable and that dependencies carry them.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** Make the trial folder a repository with one commit (the plan). */
export function gitInitTrial(dir: string): void {
  fs.writeFileSync(
    path.join(dir, ".gitignore"),
    "*.log\nprinted\nsent\nstart-*\nend-*\n",
  );
  for (
    const args of [
      ["init", "-q"],
      ["add", "-A"],
      [
        "-c",
        "user.name=torture",
        "-c",
        "user.email=torture@example.com",
        "commit",
        "-qm",
        "trial",
      ],
    ]
  ) {
    const r = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  }
}

/** What each shell task appends to its work file (before printing the token). */
export const WORK_LINE = `  echo "tok:$run:$i" >> "work-$MAOS_TASK_ID.txt"`;

function worktree(dir: string, id: string, agent: string): string {
  return path.join(fs.realpathSync(dir), ".maos", "worktrees", id, agent);
}

function commitExists(dir: string, commit: string): boolean {
  return spawnSync("git", ["cat-file", "-e", `${commit}^{commit}`], {
    cwd: dir,
  }).status === 0;
}

/**
 * After a kill: every files commit the log names is in the repository, and
 * every agent with saved files still has them (its worktree, or the commit
 * to make it again from).
 */
export function checkFilesAfterKill(dir: string, events: string): string[] {
  const failures: string[] = [];
  let text = "";
  try {
    text = fs.readFileSync(events, "utf8");
  } catch {
    return failures;
  }
  const lines = text.split("\n").filter((l) => l.includes('"agent.files"'));
  for (const line of lines) {
    let event: { agent: string; commit: string };
    try {
      event = JSON.parse(line);
    } catch {
      continue; // a torn last line
    }
    if (!commitExists(dir, event.commit)) {
      failures.push(
        `files commit ${event.commit} of ${event.agent} named by the log is not in the repository`,
      );
    }
  }
  return failures;
}

/**
 * At the end: the agent of the last task has, in its worktree, every shell
 * task's work file with all the tokens of that task's last (completed) run:
 * the branches of the tasks it depends on were merged in, transitively.
 */
export function checkFilesFinal(
  p: {
    dir: string;
    id: string;
    plan: { tasks: { id: string; agent: string; run?: string }[] };
    tokensPerRun: number;
  },
): string[] {
  const failures: string[] = [];
  const last = p.plan.tasks.find((t) =>
    !p.plan.tasks.some((o) =>
      (o as { dependsOn?: string[] }).dependsOn?.includes(t.id)
    )
  );
  if (!last) return ["the plan has no last task"];
  const where = worktree(p.dir, p.id, last.agent);
  for (const task of p.plan.tasks.filter((t) => t.run)) {
    const ends = readLines(path.join(p.dir, `end-${task.id}`));
    const run = ends.at(-1);
    if (!run) continue;
    const work = readLines(path.join(where, `work-${task.id}.txt`));
    for (let i = 1; i <= p.tokensPerRun; i++) {
      if (!work.includes(`tok:${run}:${i}`)) {
        failures.push(
          `${last.agent}'s worktree lacks token ${i} of ${task.id}'s last run in work-${task.id}.txt`,
        );
        break;
      }
    }
  }
  return failures;
}

function readLines(file: string): string[] {
  try {
    return fs.readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
  } catch {
    return [];
  }
}
