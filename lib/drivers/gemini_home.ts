/**
 * The Gemini CLI's home for one agent: a folder maos owns, given to the CLI
 * as GEMINI_CLI_HOME, whose `.gemini/settings.json` maos writes before each
 * run (trust, auth type, no usage statistics, no auto-update, bounded
 * retries, the maos MCP server, the agent's tool rules). The CLI keeps the
 * agent's sessions there too, so nothing lands in the agent's worktree, its
 * branch, or the user's `~/.gemini`.
 *
 * Measured on 0.61.0: GEMINI_CLI_HOME replaces the home folder for every
 * path the CLI uses (settings, sessions, projects.json, history). The system
 * settings file that GEMINI_CLI_SYSTEM_SETTINGS_PATH names is skipped
 * ("Security Warning: Skipping system settings file …") unless it and every
 * folder above it belong to root and no one else may write them, so it
 * cannot hold per-agent settings.
 *
 * @module
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureDir, writeFileAtomic } from "../../store/atomic_write.ts";
import type { GeminiPermissions } from "./gemini_permissions.ts";
import { MCP_SERVER_NAME, type McpServerSpec } from "./maos_mcp.ts";

/** Where one agent's Gemini home is, and whether it goes away after the run. */
export interface GeminiHome {
  dir: string;
  /** A run outside an orchestration (the planner): removed afterwards. */
  temporary: boolean;
}

/**
 * The agent's home: `<.maos>/worktrees/<orchestration>/_gemini/<agent>` —
 * machine-local (`.maos/.gitignore` keeps `worktrees/` out of commits),
 * kept across pauses and crashes so `--resume` finds the session, removed
 * with the orchestration's worktrees. Agent ids never start with `_`, so it
 * is never an agent's worktree. Without an orchestration, a temp folder.
 *
 * @example
 * geminiHomeFor({ MAOS_DIR: "/p/.maos", MAOS_ORCHESTRATION_ID: "ab12…", MAOS_AGENT_ID: "dev" }).dir;
 * // "/p/.maos/worktrees/ab12…/_gemini/dev"
 */
export function geminiHomeFor(
  env: Record<string, string | undefined>,
): GeminiHome {
  const { MAOS_DIR: maosDir, MAOS_ORCHESTRATION_ID: id, MAOS_AGENT_ID: agent } =
    env;
  if (maosDir && id && agent) {
    return {
      dir: path.join(maosDir, "worktrees", id, "_gemini", agent),
      temporary: false,
    };
  }
  return {
    dir: fs.mkdtempSync(path.join(os.tmpdir(), "maos-gemini-")),
    temporary: true,
  };
}

/** What goes into the agent's settings.json. */
export interface GeminiSettingsInput {
  /** `security.auth.selectedType`; default "gemini-api-key" (GEMINI_API_KEY). */
  authType?: string;
  /** `general.maxAttempts`: tries of one API call. */
  maxAttempts: number;
  mcp: McpServerSpec;
  permissions: GeminiPermissions;
}

/**
 * The settings object. Folder trust is off: maos starts the CLI only in the
 * agent's own worktree (without it every headless run exits 55).
 *
 * @example
 * geminiSettings({ maxAttempts: 2, mcp, permissions }).mcpServers.maos.trust; // true
 */
export function geminiSettings(input: GeminiSettingsInput) {
  return {
    security: {
      auth: { selectedType: input.authType ?? "gemini-api-key" },
      folderTrust: { enabled: false },
    },
    // Without it the CLI looks up a Google host at start-up.
    privacy: { usageStatisticsEnabled: false },
    general: { enableAutoUpdate: false, maxAttempts: input.maxAttempts },
    mcpServers: {
      [MCP_SERVER_NAME]: {
        command: input.mcp.command,
        args: input.mcp.args,
        env: input.mcp.env,
        // Its tools run without asking (headless mode leaves out the rest).
        trust: true,
      },
    },
    tools: {
      allowed: input.permissions.allowed,
      ...(input.permissions.exclude.length > 0
        ? { exclude: input.permissions.exclude }
        : {}),
    },
  };
}

/** Write `<home>/.gemini/settings.json` (whole, atomically) and return the home's path. */
export function writeGeminiHome(
  home: GeminiHome,
  settings: ReturnType<typeof geminiSettings>,
): string {
  const dir = path.join(home.dir, ".gemini");
  ensureDir(dir);
  writeFileAtomic(
    path.join(dir, "settings.json"),
    JSON.stringify(settings, null, 2) + "\n",
  );
  return home.dir;
}

/** Remove a temporary home (never an agent's). */
export function dropGeminiHome(home: GeminiHome): void {
  if (home.temporary) fs.rmSync(home.dir, { recursive: true, force: true });
}
