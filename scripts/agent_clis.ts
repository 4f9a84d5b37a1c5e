/**
 * Install the real agent CLIs the tests run — Claude Code, Codex and the
 * Gemini CLI, pinned —
 * into .tools/agent-clis/ (gitignored) with npm, when they are missing.
 * `deno task test` and .ci/run call it first; when both are there at the
 * pinned versions it returns at once without touching the network.
 *
 * `deno run -A scripts/agent_clis.ts` installs; `--check` only reports.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import process from "node:process";

/** The pinned packages (tests/agents/_real_cli.ts reads the same folder). */
export const AGENT_CLIS = {
  "@anthropic-ai/claude-code": "2.1.197",
  "@openai/codex": "0.169.0",
  "@google/gemini-cli": "0.61.0",
} as const;

export const AGENT_CLIS_DIR = path.join(
  path.dirname(path.dirname(new URL(import.meta.url).pathname)),
  ".tools",
  "agent-clis",
);

/** The packages that are missing or at another version. */
export function missingClis(dir = AGENT_CLIS_DIR): string[] {
  return Object.entries(AGENT_CLIS).filter(([name, version]) => {
    try {
      const pkg = JSON.parse(
        fs.readFileSync(
          path.join(dir, "node_modules", name, "package.json"),
          "utf8",
        ),
      );
      const bin = path.join(dir, "node_modules", ".bin", binName(name));
      // Claude Code ships a small placeholder that its postinstall replaces
      // with the native binary (~250 MB): a placeholder is not installed.
      const tooSmall = name === "@anthropic-ai/claude-code" &&
        fs.statSync(bin).size < 1_000_000;
      return pkg.version !== version || tooSmall;
    } catch {
      return true;
    }
  }).map(([name, version]) => `${name}@${version}`);
}

function binName(pkg: string): string {
  if (pkg === "@openai/codex") return "codex";
  if (pkg === "@google/gemini-cli") return "gemini";
  return "claude";
}

if (import.meta.main) {
  const missing = missingClis();
  if (missing.length === 0) process.exit(0);
  if (process.argv.includes("--check")) {
    console.error(`agent CLIs missing: ${missing.join(", ")}`);
    process.exit(1);
  }
  fs.mkdirSync(AGENT_CLIS_DIR, { recursive: true });
  // A package.json of its own, so npm installs here and not in a parent.
  const manifest = path.join(AGENT_CLIS_DIR, "package.json");
  if (!fs.existsSync(manifest)) {
    fs.writeFileSync(
      manifest,
      JSON.stringify({ name: "maos-agent-clis", private: true }, null, 2),
    );
  }
  console.error(`installing ${missing.join(", ")} into .tools/agent-clis/ …`);
  const npm = spawnSync(
    "npm",
    [
      "install",
      "--prefix",
      AGENT_CLIS_DIR,
      "--no-audit",
      "--no-fund",
      "--save-exact",
      ...Object.entries(AGENT_CLIS).map(([n, v]) => `${n}@${v}`),
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  // npm may skip install scripts (`ignore-scripts`): run Claude Code's
  // postinstall, which puts the native binary in place, ourselves.
  if (npm.status === 0 && missingClis().length > 0) {
    spawnSync("node", ["install.cjs"], {
      cwd: path.join(
        AGENT_CLIS_DIR,
        "node_modules",
        "@anthropic-ai",
        "claude-code",
      ),
      stdio: ["ignore", "inherit", "inherit"],
    });
  }
  if (npm.status !== 0 || missingClis().length > 0) {
    console.error(
      `agent CLIs: npm install failed (exit ${npm.status ?? npm.signal}); ` +
        `the real-CLI tests need ${missing.join(", ")}`,
    );
    process.exit(1);
  }
}
