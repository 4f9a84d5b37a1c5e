/**
 * Paths a worktree leaves out: a non-cone sparse checkout (git 2.25+,
 * per worktree through `extensions.worktreeConfig`, which git 2.39's
 * `sparse-checkout` turns on itself), so the files are not written there
 * and git marks them skip-worktree instead of deleted; and the pathspecs
 * that keep maos's own `git add -A` from picking up anything written there.
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { git, gitText } from "./git.ts";

/** A path from the repository's top ("sub/.maos") as a gitignore-style pattern. */
function pattern(dir: string): string {
  const escaped = dir.split("/").map((part) =>
    part.replace(/[\\*?[\]!# ]/g, (ch) => `\\${ch}`)
  ).join("/");
  return `!/${escaped}/`;
}

/** Leave the directories `dirs` (relative to the repository's top) out of `worktree`'s checkout. */
export async function leaveOut(
  worktree: string,
  dirs: readonly string[],
): Promise<void> {
  await git(worktree, [
    "sparse-checkout",
    "set",
    "--no-cone",
    "/*",
    ...dirs.map(pattern),
  ]);
}

/** Is `worktree` already a sparse checkout (made by `leaveOut`)? */
export async function isSparse(worktree: string): Promise<boolean> {
  const gitDir = path.resolve(
    worktree,
    await gitText(worktree, ["rev-parse", "--git-dir"]),
  );
  const result = await git(
    worktree,
    ["config", "--get", "core.sparseCheckout"],
    {
      allowFail: true,
    },
  );
  return result.stdout.trim() === "true" &&
    fs.existsSync(path.join(gitDir, "info", "sparse-checkout"));
}

/** Those of `paths` (from the repository's top) that git tracks nothing under. */
export async function untracked(
  worktree: string,
  paths: readonly string[],
): Promise<string[]> {
  if (paths.length === 0) return [];
  const out = await git(worktree, ["ls-files", "-z", "--", ...paths], {
    allowFail: true,
    env: { GIT_LITERAL_PATHSPECS: "1" },
  });
  const tracked = out.stdout.split("\0").filter((p) => p !== "");
  return paths.filter((p) =>
    !tracked.some((t) => t === p || t.startsWith(`${p}/`))
  );
}

/**
 * Pathspecs for `git add` in `worktree` that leave `paths` (from the
 * repository's top) out. An ignored path that is there gets none: git
 * already leaves it out, and refuses an exclude naming an ignored file.
 */
export async function excludeSpecs(
  worktree: string,
  paths: readonly string[],
): Promise<string[]> {
  const present = paths.filter((p) => fs.existsSync(path.join(worktree, p)));
  const ignored = new Set<string>();
  if (present.length > 0) {
    const out = await git(worktree, ["check-ignore", "--", ...present], {
      allowFail: true,
    });
    for (const p of out.stdout.split("\n")) if (p) ignored.add(p);
  }
  return paths.filter((p) => !ignored.has(p)).map((p) =>
    `:(exclude,top,literal)${p}`
  );
}
