/**
 * The `worktrees` settings of the project's maos.json, read where no run
 * passed them (a checkpoint, a restore): the copied files must stay out of
 * every commit maos makes, whoever makes it.
 *
 * @module
 */
import * as path from "node:path";
import { DurableJsonFile } from "../../store/json_file.ts";
import { ConfigSchema } from "../../store/schema.ts";

export interface WorktreesConfig {
  setup: string[];
  copy: string[];
}

/** `worktrees` from `<projectRoot>/.maos/maos.json` (defaults when it has none). */
export function readWorktreesConfig(projectRoot: string): WorktreesConfig {
  const config = new DurableJsonFile(
    path.join(projectRoot, ".maos", "maos.json"),
    ConfigSchema,
  ).readSync();
  return config?.worktrees ?? { setup: [], copy: [] };
}
