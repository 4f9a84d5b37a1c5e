import * as fs from "node:fs";
import * as path from "node:path";
import { assert, assertEquals } from "./_test_assert.ts";
import {
  dropGeminiHome,
  geminiHomeFor,
  geminiSettings,
  writeGeminiHome,
} from "./gemini_home.ts";
import { geminiPermissions } from "./gemini_permissions.ts";

const mcp = {
  command: "/opt/maos",
  args: ["mcp"],
  env: { MAOS_AGENT_ID: "dev", MAOS_ORCHESTRATION_ID: "0123456789ab" },
};

Deno.test("an agent's home is under .maos/worktrees/<id>/_gemini/<agent>, never its worktree", () => {
  const home = geminiHomeFor({
    MAOS_DIR: "/p/.maos",
    MAOS_ORCHESTRATION_ID: "0123456789ab",
    MAOS_AGENT_ID: "dev",
  });
  assertEquals(home, {
    dir: "/p/.maos/worktrees/0123456789ab/_gemini/dev",
    temporary: false,
  });
});

Deno.test("without an orchestration (the planner) the home is a temp folder, removed afterwards", () => {
  const home = geminiHomeFor({ MAOS_DIR: "/p/.maos" });
  assert(home.temporary);
  writeGeminiHome(
    home,
    geminiSettings({
      maxAttempts: 2,
      mcp,
      permissions: geminiPermissions(),
    }),
  );
  assert(fs.existsSync(path.join(home.dir, ".gemini", "settings.json")));
  dropGeminiHome(home);
  assert(!fs.existsSync(home.dir));
});

Deno.test("the settings: API key auth, no folder trust check, no statistics or updates, bounded tries, the trusted maos server, the tool rules", async () => {
  const dir = await Deno.makeTempDir({ prefix: "maos-gemini-home-" });
  try {
    const home = { dir: path.join(dir, "dev"), temporary: false };
    const permissions = geminiPermissions({ deny: ["WebFetch"] });
    writeGeminiHome(
      home,
      geminiSettings({ maxAttempts: 3, mcp, permissions }),
    );
    const written = JSON.parse(
      fs.readFileSync(path.join(home.dir, ".gemini", "settings.json"), "utf8"),
    );
    assertEquals(written, {
      security: {
        auth: { selectedType: "gemini-api-key" },
        folderTrust: { enabled: false },
      },
      privacy: { usageStatisticsEnabled: false },
      general: { enableAutoUpdate: false, maxAttempts: 3 },
      mcpServers: { maos: { ...mcp, trust: true } },
      tools: { allowed: permissions.allowed, exclude: ["web_fetch"] },
    });
    // A second write replaces it whole; a temporary flag of false keeps it.
    writeGeminiHome(
      home,
      geminiSettings({
        authType: "vertex-ai",
        maxAttempts: 1,
        mcp,
        permissions: geminiPermissions(),
      }),
    );
    dropGeminiHome(home);
    const again = JSON.parse(
      fs.readFileSync(path.join(home.dir, ".gemini", "settings.json"), "utf8"),
    );
    assertEquals(again.security.auth.selectedType, "vertex-ai");
    assertEquals(again.tools, { allowed: permissions.allowed });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
