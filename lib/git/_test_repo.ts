/** Real git repositories in temp dirs for tests (not part of the program). */
import * as fs from "node:fs";
import * as path from "node:path";
import { git, gitText } from "./git.ts";

/** A new repository with one commit (README.md, .gitignore ignoring *.log). */
export async function tempRepo(): Promise<string> {
  const dir = fs.realpathSync(
    await Deno.makeTempDir({ prefix: "maos-git-repo-" }),
  );
  await git(dir, ["init", "-q", "-b", "main"]);
  await git(dir, ["config", "user.name", "maos test"]);
  await git(dir, ["config", "user.email", "test@example.com"]);
  fs.writeFileSync(path.join(dir, "README.md"), "hello\n");
  fs.writeFileSync(path.join(dir, ".gitignore"), "*.log\n");
  await git(dir, ["add", "-A"]);
  await git(dir, ["commit", "-q", "-m", "first"]);
  return dir;
}

/** Commit everything in `dir` as the test user. */
export async function commitAllAs(
  dir: string,
  message: string,
): Promise<string> {
  await git(dir, ["add", "-A"]);
  await git(dir, ["commit", "-q", "-m", message]);
  return await gitText(dir, ["rev-parse", "HEAD"]);
}

export function write(dir: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}

export function read(dir: string, file: string): string | null {
  try {
    return fs.readFileSync(path.join(dir, file), "utf8");
  } catch {
    return null;
  }
}

/** `git show COMMIT:FILE`, or null when the commit has no such file. */
export async function showFile(
  dir: string,
  commit: string,
  file: string,
): Promise<string | null> {
  const r = await git(dir, ["show", `${commit}:${file}`], { allowFail: true });
  return r.code === 0 ? r.stdout : null;
}

export async function removeRepo(dir: string): Promise<void> {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
