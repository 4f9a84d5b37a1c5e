import { assertEquals } from "./_test_assert.ts";
import {
  geminiPermissions,
  geminiRule,
  MAOS_ALLOWED,
} from "./gemini_permissions.ts";

Deno.test("no permissions: edits allowed (auto_edit) and only maos's own command for the shell", () => {
  assertEquals(geminiPermissions(), {
    approvalMode: "auto_edit",
    allowed: MAOS_ALLOWED,
    exclude: [],
    ignored: [],
  });
});

Deno.test("allow and deny rules in Claude's syntax become Gemini tool names; Bash prefixes keep their prefix", () => {
  assertEquals(
    geminiPermissions({
      allow: [
        "Bash(npm test:*)",
        "Bash(git status)",
        "Read",
        "mcp__docs__search",
      ],
      deny: ["WebFetch", "Bash(rm *)", "Write"],
    }),
    {
      approvalMode: "auto_edit",
      allowed: [
        ...MAOS_ALLOWED,
        "run_shell_command(npm test)",
        "run_shell_command(git status)",
        "read_file",
        "mcp_docs_search",
      ],
      exclude: ["web_fetch", "run_shell_command(rm)", "write_file"],
      ignored: [],
    },
  );
});

Deno.test("Claude's modes map to approval modes; what Gemini cannot say is reported, not guessed", () => {
  assertEquals(
    geminiPermissions({ mode: "bypassPermissions" }).approvalMode,
    "yolo",
  );
  assertEquals(geminiPermissions({ mode: "plan" }).approvalMode, "plan");
  assertEquals(geminiPermissions({ mode: "default" }).approvalMode, "default");
  const odd = geminiPermissions({
    mode: "whatever",
    allow: ["Edit(src/**)", "Bash(npm * --force)", "Task"],
  });
  assertEquals(odd.approvalMode, "auto_edit");
  assertEquals(odd.allowed, MAOS_ALLOWED);
  assertEquals(odd.ignored, [
    "Edit(src/**)",
    "Bash(npm * --force)",
    "Task",
    "mode whatever",
  ]);
});

Deno.test("geminiRule: a whole tool, a star and an empty argument are the tool itself", () => {
  assertEquals(geminiRule("Bash"), "run_shell_command");
  assertEquals(geminiRule("Bash(*)"), "run_shell_command");
  assertEquals(geminiRule("Edit"), "replace");
  assertEquals(geminiRule("not a rule!"), undefined);
});
