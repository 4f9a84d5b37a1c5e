import * as fs from "node:fs";
import * as path from "node:path";
import { ensureDir, writeFileAtomic } from "./atomic_write.ts";
import { openJsonDb } from "./json_file.ts";
import {
  findMaosDir,
  isEmptyDir,
  isMaosDir,
  MAOS_DIR_NAME,
  MaosPaths,
} from "./paths.ts";
import { usageError } from "./errors.ts";
import { type Config, ConfigSchema, defaultConfig } from "./schema.ts";

/** Machine-local files that must never be committed. */
/** The `.gitignore` line that keeps the agents' worktrees out of commits. */
export const WORKTREES_IGNORE_LINE = "/worktrees/";

/**
 * Add the worktrees line to an existing `.maos/.gitignore` (one written
 * before worktrees) when it lacks it; a missing file is written whole.
 */
export function ensureWorktreesIgnored(paths: MaosPaths): void {
  ensureDir(paths.root);
  let text: string | null = null;
  try {
    text = fs.readFileSync(paths.gitignore, "utf8");
  } catch {
    text = null;
  }
  if (text === null) {
    writeFileAtomic(paths.gitignore, GITIGNORE_TEXT);
  } else if (!text.split("\n").includes(WORKTREES_IGNORE_LINE)) {
    const sep = text === "" || text.endsWith("\n") ? "" : "\n";
    writeFileAtomic(
      paths.gitignore,
      `${text}${sep}${WORKTREES_IGNORE_LINE}\n`,
    );
  }
}

export const GITIGNORE_TEXT =
  "# machine-local files written by maos\n*.lock\n*.tmp\n*.takeover\n" +
  "# the agents' git worktrees: their files are saved in refs/maos/*\n" +
  WORKTREES_IGNORE_LINE + "\n";

export interface InitResult {
  root: string;
  created: boolean;
}

/**
 * Keep LF in every clone (a CRLF checkout would move every logOffset), and
 * never let git merge two versions of one log line by line.
 */
export const GITATTRIBUTES_TEXT =
  "# written by maos: logs and snapshots stay byte for byte as maos wrote them\n" +
  "*.json text eol=lf\n*.jsonl text eol=lf\n";

/**
 * Create `.maos/` (maos.json, .gitignore, .gitattributes, the two folders). Existing files
 * are left alone, so running init twice is harmless.
 */
export async function initMaosDir(root: string): Promise<InitResult> {
  const created = !fs.existsSync(path.join(root, "maos.json"));
  ensureDir(root);
  const paths = new MaosPaths(root);
  // maos.json first: it is what marks the folder as a store, so a crash
  // part-way through leaves a store to complete, not a folder to refuse.
  if (created) {
    const db = await openJsonDb(paths.config, ConfigSchema, defaultConfig());
    await db.write();
  }
  ensureDir(paths.orchestrations);
  ensureDir(paths.checkpoints);
  if (!fs.existsSync(paths.gitignore)) {
    writeFileAtomic(paths.gitignore, GITIGNORE_TEXT);
  }
  if (!fs.existsSync(paths.gitattributes)) {
    writeFileAtomic(paths.gitattributes, GITATTRIBUTES_TEXT);
  }
  return { root, created };
}

/** The `.maos/` to use: found, or (for `orchestrate`) created in `cwd`. */
export async function findOrCreateMaosDir(
  options: {
    dir?: string;
    env?: Record<string, string | undefined>;
    cwd?: string;
  },
): Promise<string> {
  const found = findMaosDir(options);
  const root = found ?? path.join(options.cwd ?? process.cwd(), MAOS_DIR_NAME);
  if (isMaosDir(root)) {
    // Finish a store an earlier init was cut off from.
    if (!fs.existsSync(path.join(root, "maos.json"))) await initMaosDir(root);
    return root;
  }
  // Never turn a folder that holds other things into a .maos directory.
  if (fs.existsSync(root) && !isEmptyDir(root)) {
    throw usageError(
      `${root} is not a maos directory (it has no maos.json) and is not empty`,
      "point --dir (or MAOS_DIR) at a .maos directory or an empty folder",
    );
  }
  await initMaosDir(root);
  return root;
}

export async function loadConfig(paths: MaosPaths): Promise<Config> {
  const db = await openJsonDb(paths.config, ConfigSchema, defaultConfig());
  return db.data;
}

export async function updateConfig(
  paths: MaosPaths,
  change: (config: Config) => void,
): Promise<Config> {
  const db = await openJsonDb(paths.config, ConfigSchema, defaultConfig());
  await db.update(change);
  return db.data;
}
