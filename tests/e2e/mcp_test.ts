/**
 * `maos mcp` as an AI CLI uses it: a real child process spoken to over stdio
 * by the MCP SDK's client, for an agent of a real running orchestration.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assert,
  assertEquals,
  assertIncludes,
  MaosProcess,
  readEvents,
  taskProgress,
  taskStatuses,
  waitForOrchestration,
  waitUntil,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import { runMaos } from "./run_maos.ts";
import { callTool, connectMcp } from "./_mcp_client.ts";

async function connect(
  cwd: string,
  env: Record<string, string>,
): Promise<Client> {
  return (await connectMcp(cwd, env)).client;
}

const call = callTool;

Deno.test("maos mcp: an agent of a running orchestration sends, reads only what is new, and reports progress", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [
        { id: "worker-001", role: "worker" },
        { id: "helper-001", role: "helper" },
      ],
      tasks: [
        {
          id: "first",
          agent: "helper-001",
          title: "Say something first",
          // Plain `maos`: the shim on the agent's PATH is this maos.
          run: 'maos message send --to worker "before your turn"',
        },
        {
          id: "work",
          agent: "worker-001",
          title: "Work until told to stop",
          dependsOn: ["first"],
          run: 'printf "%s" "$MAOS_AGENT_TOKEN" > runs/work.token\n' +
            'printf "%s\\n" "$MAOS_INBOX" > runs/work.inbox\n' +
            "while [ ! -f runs/go ]; do sleep 0.1; done",
        },
      ],
    });
    const maos = new MaosProcess(["orchestrate", "Talk", "--plan", plan], {
      cwd: dir,
    });
    let client: Client | undefined;
    try {
      const id = await waitForOrchestration(dir, maos);
      await waitUntil(
        () => taskStatuses(dir, id).work === "running",
        () => `task work running\n${maos.output()}`,
      );
      // The message sent before the turn came with the turn's prompt.
      await waitUntil(
        () => fs.existsSync(path.join(dir, "runs/work.inbox")),
        "runs/work.inbox",
      );
      assertIncludes(
        fs.readFileSync(path.join(dir, "runs/work.inbox"), "utf8"),
        "info from helper-001 to worker-001: before your turn",
      );

      client = await connect(dir, {
        MAOS_DIR: path.join(dir, ".maos"),
        MAOS_ORCHESTRATION_ID: id,
        MAOS_AGENT_ID: "worker-001",
        MAOS_TASK_ID: "work",
        // The turn's secret, as the driver gives it to the agent's processes.
        MAOS_AGENT_TOKEN: fs.readFileSync(
          path.join(dir, "runs/work.token"),
          "utf8",
        ),
      });
      const { tools } = await client.listTools();
      assertEquals(tools.map((t: { name: string }) => t.name).sort(), [
        "read_messages",
        "report_progress",
        "send_message",
      ]);

      // Not new: it was logged before the turn began.
      assertEquals(await call(client, "read_messages"), {
        text: "No new messages.",
        isError: false,
      });

      // A person's message mid-turn: returned once, pending or logged.
      const sent = await runMaos(
        [
          "message",
          "send",
          "--orchestration",
          id,
          "--to",
          "worker-001",
          "--type",
          "request",
          "mid-turn",
        ],
        { cwd: dir },
      );
      assertEquals(sent.code, 0, sent.stderr);
      const fresh = await call(client, "read_messages");
      assertIncludes(fresh.text, "request from user to worker-001: mid-turn");
      assertEquals(fresh.text.split("\n").length, 1);
      assertEquals(
        (await call(client, "read_messages")).text,
        "No new messages.",
      );
      await waitUntil(
        () =>
          readEvents(dir, id).some((e) =>
            e.type === "message" && e.content === "mid-turn"
          ),
        "the orchestrator ingests the message",
      );
      assertEquals(
        (await call(client, "read_messages")).text,
        "No new messages.",
      );

      // send_message: persisted when acknowledged, logged from the agent.
      assertEquals(
        await call(client, "send_message", {
          content: "found it",
          kind: "discovery",
        }),
        { text: "Sent (discovery) to all.", isError: false },
      );
      assertIncludes(
        fs.readFileSync(
          path.join(dir, ".maos/orchestrations", id, "inbox.jsonl"),
          "utf8",
        ),
        '"content":"found it"',
      );
      assertEquals(
        (await call(client, "send_message", {
          content: "please review",
          to: "helper",
          kind: "request",
        })).text,
        "Sent (request) to helper-001.",
      );
      const unknown = await call(client, "send_message", {
        content: "hello?",
        to: "nobody",
      });
      assert(unknown.isError, unknown.text);
      assertIncludes(unknown.text, "no agent 'nobody'");
      await waitUntil(
        () =>
          readEvents(dir, id).filter((e) =>
            e.type === "message" && e.from === "worker-001"
          ).length === 2,
        "both messages of worker-001 in the log",
      );
      const mine = readEvents(dir, id).flatMap((e) =>
        e.type === "message" && e.from === "worker-001"
          ? [[e.to, e.kind, e.content]]
          : []
      );
      assertEquals(mine, [
        [null, "discovery", "found it"],
        ["helper-001", "request", "please review"],
      ]);
      // Its own messages are not read back to it.
      assertEquals(
        (await call(client, "read_messages")).text,
        "No new messages.",
      );

      // report_progress: recorded as task.progress by the orchestrator.
      assertEquals(
        await call(client, "report_progress", { percent: 40, note: "half" }),
        { text: "Progress of work: 40%.", isError: false },
      );
      await waitUntil(
        () => taskProgress(dir, id, "work") === 40,
        "task work at 40%",
      );
      const bad = await call(client, "report_progress", { percent: 140 });
      assert(bad.isError, bad.text);

      fs.writeFileSync(path.join(dir, "runs/go"), "");
      assertEquals((await maos.exit()).code, 0, maos.output());
      assertEquals(taskStatuses(dir, id).work, "completed");
    } finally {
      await client?.close();
      if (!maos.exited) maos.kill("SIGKILL");
      await maos.exit().catch(() => {});
    }
  });
});

Deno.test("maos mcp outside an agent answers each tool with a clear error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "maos-mcp-" });
  const client = await connect(dir, {});
  try {
    const result = await call(client, "send_message", { content: "hi" });
    assert(result.isError);
    assertIncludes(
      result.text,
      "not inside a maos agent: MAOS_ORCHESTRATION_ID and MAOS_AGENT_ID are not set",
    );
    assert((await call(client, "read_messages")).isError);
  } finally {
    await client.close();
    await Deno.remove(dir, { recursive: true });
  }
});
