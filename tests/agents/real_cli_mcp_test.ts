/**
 * An MCP tool call scripted in the model stand-in reaches a stdio MCP server
 * through each real CLI (tests/fixtures/mcp_note_server.ts, one tool `note`).
 * The pattern for testing `maos mcp`: Claude Code names MCP tools
 * `mcp__SERVER__TOOL`; Codex 0.169 (default model, code mode) calls them from
 * its JavaScript `exec` tool as `tools.mcp__SERVER__TOOL(…)`, and runs them in
 * `exec` only with the server's `default_tools_approval_mode = "approve"`.
 * Neither CLI waits for a server that is slow to start unless told: Claude
 * Code with `"alwaysLoad": true` in its entry (or MCP_CONNECTION_NONBLOCKING=0),
 * Codex with `mcp_servers.NAME.required = true`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  codexCode,
  ModelStandin,
  say,
  tool,
  toolNames,
} from "../../standin/mod.ts";
import { cliSandbox } from "./_real_cli.ts";
import { assert, assertEquals } from "../../store/_test_util.ts";

const SERVER = new URL("../fixtures/mcp_note_server.ts", import.meta.url)
  .pathname;

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

Deno.test("real claude: a scripted mcp__notes__note call runs the MCP server's tool", async () => {
  await using model = await ModelStandin.start([
    tool("mcp__notes__note", { text: "hello from claude" }),
    say("Noted."),
  ]);
  await using box = await cliSandbox(model);
  const notes = path.join(box.root, "notes.txt");
  const config = {
    mcpServers: {
      notes: {
        command: Deno.execPath(),
        args: ["run", "-A", SERVER],
        // A server slow to start (as on a loaded machine).
        env: { MCP_NOTE_FILE: notes, MCP_NOTE_DELAY_MS: "500" },
        // Without this (or MCP_CONNECTION_NONBLOCKING=0), claude -p does not
        // wait for the server: its tools are missing from the first request.
        alwaysLoad: true,
      },
    },
  };
  const run = await box.claude([
    "-p",
    "Take a note",
    "--output-format",
    "stream-json",
    "--verbose",
    "--mcp-config",
    JSON.stringify(config),
    "--allowedTools",
    "mcp__notes__note",
  ]);
  assertEquals(run.code, 0, run.stderr);
  // "connected", or "pending" when the server starts slowly (a loaded
  // machine): the tool call still waits for it.
  const init = run.lines[0] as Json;
  assertEquals(init.mcp_servers.map((s: Json) => s.name), ["notes"]);
  assert(toolNames(model.turns()[0].body).includes("mcp__notes__note"));
  assertEquals(fs.readFileSync(notes, "utf8"), "hello from claude\n");
  const result = run.lines.find((l) => l.type === "user") as Json;
  assertEquals(result.message.content[0].content, [{
    type: "text",
    text: "noted",
  }]);
});

Deno.test("real codex: code mode calls the MCP server's tool through tools.mcp__notes__note", async () => {
  await using model = await ModelStandin.start([
    codexCode(`await tools.mcp__notes__note({ text: "hello from codex" });`),
    say("Noted."),
  ]);
  await using box = await cliSandbox(model);
  const notes = path.join(box.root, "notes.txt");
  const run = await box.codex([
    "exec",
    "--json",
    "--skip-git-repo-check",
    "-c",
    `mcp_servers.notes.command=${JSON.stringify(Deno.execPath())}`,
    "-c",
    `mcp_servers.notes.args=["run","-A",${JSON.stringify(SERVER)}]`,
    "-c",
    `mcp_servers.notes.env={MCP_NOTE_FILE=${
      JSON.stringify(notes)
    },MCP_NOTE_DELAY_MS="500"}`,
    // Without it codex does not wait for a slow server: the call silently
    // finds no such tool.
    "-c",
    "mcp_servers.notes.required=true",
    "-c",
    `mcp_servers.notes.default_tools_approval_mode="approve"`,
    "Take a note",
  ]);
  assertEquals(run.code, 0, run.stderr);
  const call = run.lines.find((l) =>
    l.type === "item.completed" && (l as Json).item.type === "mcp_tool_call"
  ) as Json;
  assertEquals(
    [call.item.server, call.item.tool, call.item.status],
    ["notes", "note", "completed"],
  );
  assertEquals(fs.readFileSync(notes, "utf8"), "hello from codex\n");
});
