import { assertEquals } from "./_test_assert.ts";
import { codexArgs } from "./codex.ts";
import { makeRun } from "./_test_helpers.ts";
import {
  claudeAllowedTools,
  claudeMcpConfig,
  codexMcpArgs,
  mcpServerSpec,
} from "./maos_mcp.ts";

const ENV = {
  MAOS_DIR: "/p/.maos",
  MAOS_ORCHESTRATION_ID: "0123456789ab",
  MAOS_AGENT_ID: "developer-001",
  MAOS_TASK_ID: "t1",
  PATH: "/tmp/maos-bin-x:/usr/bin",
  HOME: "/home/me",
};

Deno.test("the MCP server is this maos with `mcp`, given only the MAOS_* env", () => {
  assertEquals(
    mcpServerSpec(ENV, ["/usr/bin/deno", "run", "-A", "/src/main.ts"]),
    {
      command: "/usr/bin/deno",
      args: ["run", "-A", "/src/main.ts", "mcp"],
      env: {
        MAOS_DIR: "/p/.maos",
        MAOS_ORCHESTRATION_ID: "0123456789ab",
        MAOS_AGENT_ID: "developer-001",
        MAOS_TASK_ID: "t1",
      },
    },
  );
});

Deno.test("claude gets an inline --mcp-config and exactly the maos tools allowed", () => {
  const spec = mcpServerSpec(ENV, ["/opt/maos"]);
  assertEquals(JSON.parse(claudeMcpConfig(spec)), {
    mcpServers: {
      maos: {
        type: "stdio",
        command: "/opt/maos",
        args: ["mcp"],
        env: spec.env,
        alwaysLoad: true,
      },
    },
  });
  assertEquals(claudeAllowedTools(), [
    "mcp__maos__send_message",
    "mcp__maos__read_messages",
    "mcp__maos__report_progress",
    "Bash(maos message send:*)",
  ]);
});

Deno.test("codex gets -c mcp_servers.maos.* overrides whose values are TOML", () => {
  const spec = mcpServerSpec({ MAOS_AGENT_ID: 'say "hi"' }, [
    "/opt/my maos",
  ]);
  assertEquals(codexMcpArgs(spec), [
    "-c",
    'mcp_servers.maos.command="/opt/my maos"',
    "-c",
    'mcp_servers.maos.args=["mcp"]',
    "-c",
    "mcp_servers.maos.required=true",
    "-c",
    'mcp_servers.maos.default_tools_approval_mode="approve"',
    "-c",
    'mcp_servers.maos.env.MAOS_AGENT_ID="say \\"hi\\""',
  ]);
});

Deno.test("the codex driver registers maos mcp with -c overrides before `resume`, without a login shell", () => {
  const { run } = makeRun({
    sessionId: "thread-1",
    env: { MAOS_AGENT_ID: "developer-001", MAOS_TASK_ID: "t1" },
  });
  const args = codexArgs(run, {}, "Go on");
  const overrides = codexMcpArgs(mcpServerSpec(run.env));
  const at = args.indexOf(overrides[1]);
  assertEquals(args.slice(at - 1, at - 1 + overrides.length), overrides);
  assertEquals(args.slice(-3), ["resume", "thread-1", "Go on"]);
  assertEquals(
    overrides.includes('mcp_servers.maos.env.MAOS_TASK_ID="t1"'),
    true,
  );
});

Deno.test("the turn's token reaches the MCP server as the private file that holds it, never on a command line", () => {
  const turn = {
    ...ENV,
    MAOS_AGENT_TOKEN: "s3cret-token",
    MAOS_AGENT_TOKEN_FILE: "/tmp/maos-token-x/token",
  };
  const spec = mcpServerSpec(turn, ["/opt/maos"]);
  assertEquals(spec.env.MAOS_AGENT_TOKEN_FILE, "/tmp/maos-token-x/token");
  assertEquals(spec.env.MAOS_AGENT_TOKEN, undefined);
  const claude = claudeMcpConfig(spec);
  const codex = codexMcpArgs(spec).join(" ");
  assertEquals(claude.includes("s3cret-token"), false);
  assertEquals(codex.includes("s3cret-token"), false);
  assertEquals(codex.includes("MAOS_AGENT_TOKEN_FILE"), true);
  // Without a file (a driver that runs no CLI of its own), the value.
  assertEquals(
    mcpServerSpec({ ...ENV, MAOS_AGENT_TOKEN: "t" }, ["/opt/maos"]).env
      .MAOS_AGENT_TOKEN,
    "t",
  );
});
