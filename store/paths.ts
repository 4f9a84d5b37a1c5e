import * as fs from "node:fs";
import * as path from "node:path";
import { usageError } from "./errors.ts";
import { assertAgentId, isId } from "./ids.ts";

export const MAOS_DIR_NAME = ".maos";

/**
 * Find `.maos/` like git finds `.git`: an explicit `--dir`, then `MAOS_DIR`,
 * then the nearest `.maos/` in `cwd` or an ancestor. Returns undefined when
 * there is none.
 */
export function findMaosDir(
  options: {
    dir?: string;
    env?: Record<string, string | undefined>;
    cwd?: string;
  } = {},
): string | undefined {
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.dir ?? options.env?.MAOS_DIR;
  if (explicit) {
    const given = path.resolve(cwd, explicit);
    // `--dir` names the .maos directory; a project folder holding one works too.
    const inside = path.join(given, MAOS_DIR_NAME);
    const isStore = fs.existsSync(path.join(given, "maos.json"));
    return !isStore && fs.existsSync(path.join(inside, "maos.json"))
      ? inside
      : given;
  }
  let current = path.resolve(cwd);
  while (true) {
    const candidate = path.join(current, MAOS_DIR_NAME);
    try {
      if (fs.statSync(candidate).isDirectory()) return candidate;
    } catch { /* not here: go up */ }
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** Like findMaosDir, but a missing `.maos/` is a usage error with a hint. */
export function requireMaosDir(
  options: {
    dir?: string;
    env?: Record<string, string | undefined>;
    cwd?: string;
  } = {},
): string {
  const found = findMaosDir(options);
  // An empty folder is a store with nothing in it yet (init cut off at once).
  if (
    found && fs.existsSync(found) && !isMaosDir(found) && !isEmptyDir(found)
  ) {
    throw usageError(
      `${found} is not a maos directory (it has no maos.json)`,
      "point --dir (or MAOS_DIR) at a .maos directory, or create one with: maos init",
    );
  }
  if (!found || !fs.existsSync(found)) {
    throw usageError(
      found
        ? `no .maos directory at ${found}`
        : "no .maos directory here or in any parent directory",
      "create one with: maos init",
    );
  }
  return found;
}

/** Empty but for temp files (a write a crash cut short). */
export function isEmptyDir(dir: string): boolean {
  try {
    return fs.readdirSync(dir).every((name) => name.endsWith(".tmp"));
  } catch {
    return false;
  }
}

/**
 * A `.maos/` directory is recognised by its maos.json, or by an
 * orchestrations/ folder (a store whose maos.json was lost or never finished).
 */
export function isMaosDir(dir: string): boolean {
  return fs.existsSync(path.join(dir, "maos.json")) ||
    fs.existsSync(path.join(dir, "orchestrations"));
}

/** Every path inside one `.maos/`, computed in one place. */
export class MaosPaths {
  #orchestrations: string | undefined;

  constructor(readonly root: string) {}

  /** The project the `.maos/` belongs to: agents work here. */
  get projectRoot(): string {
    return path.dirname(this.root);
  }
  get config(): string {
    return path.join(this.root, "maos.json");
  }
  get gitignore(): string {
    return path.join(this.root, ".gitignore");
  }
  get gitattributes(): string {
    return path.join(this.root, ".gitattributes");
  }
  get orchestrations(): string {
    return this.#orchestrations ??= path.join(this.root, "orchestrations");
  }
  get checkpoints(): string {
    return path.join(this.root, "checkpoints");
  }
  // A checked id and these names hold no separator or dot segment, so plain
  // concatenation gives what path.join would, without normalizing again:
  // listing 10,000 orchestrations builds 30,000 of these (tests/bench/).
  orchestration(id: string): string {
    return this.orchestrations + path.sep + checkedId(id);
  }
  state(id: string): string {
    return this.orchestration(id) + path.sep + "state.json";
  }
  events(id: string): string {
    return this.orchestration(id) + path.sep + "events.jsonl";
  }
  inbox(id: string): string {
    return this.orchestration(id) + path.sep + "inbox.jsonl";
  }
  lock(id: string): string {
    return this.orchestration(id) + path.sep + "run.lock";
  }
  agentsDir(id: string): string {
    return path.join(this.orchestration(id), "agents");
  }
  agentOutput(id: string, agentId: string): string {
    return path.join(this.agentsDir(id), `${assertAgentId(agentId)}.jsonl`);
  }
  attachments(id: string): string {
    return path.join(this.orchestration(id), "attachments");
  }
  checkpoint(id: string): string {
    return path.join(this.checkpoints, `${checkedId(id)}.json`);
  }

  /** Ids of the orchestrations present, unsorted. */
  listOrchestrationIds(): string[] {
    return listIds(this.orchestrations, (name) => name);
  }
  listCheckpointIds(): string[] {
    return listIds(
      this.checkpoints,
      (name) => name.endsWith(".json") ? name.slice(0, -5) : "",
    );
  }
}

function checkedId(id: string): string {
  if (!isId(id)) throw usageError(`invalid id '${id}'`);
  return id;
}

function listIds(dir: string, idOf: (name: string) => string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.map(idOf).filter(isId);
}
