/**
 * `maos mcp`'s limits and identities, against the real server (source, or
 * the binary with MAOS_BIN) through the MCP SDK's own Client, for agents of
 * a real running orchestration: big messages become files, too big ones are
 * refused with the cap, read_messages answers in bounded pages, a line too
 * long for the transport is answered and the server lives on, bad params
 * are −32602; only agents of the orchestration speak, and only with the
 * token of their turn.
 */
import {
  CallToolResultSchema,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assert,
  assertEquals,
  assertIncludes,
  MaosProcess,
  readEvents,
  taskStatuses,
  waitForOrchestration,
  waitUntil,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import { runMaos } from "./run_maos.ts";
import { appendInbox } from "../../store/inbox.ts";
import { MaosPaths } from "../../store/paths.ts";
import { callTool, connectMcp } from "./_mcp_client.ts";

const connect = async (cwd: string, env: Record<string, string>) =>
  await connectMcp(cwd, env);
const call = callTool;

function asMcpError(err: unknown): McpError {
  assert(err instanceof McpError, String(err));
  return err as McpError;
}

/**
 * A running orchestration: worker-001 waits for runs/go with its token in
 * runs/work.token; helper-001's task `first` completed before.
 */
async function withRunning(
  fn: (
    dir: string,
    id: string,
    agentEnv: (over?: Record<string, string>) => Record<string, string>,
    output: () => string,
  ) => Promise<void>,
): Promise<void> {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [
        { id: "worker-001", role: "worker" },
        { id: "helper-001", role: "helper" },
      ],
      tasks: [
        { id: "first", agent: "helper-001", title: "First", run: "true" },
        {
          id: "work",
          agent: "worker-001",
          title: "Wait",
          dependsOn: ["first"],
          run: 'printf "%s" "$MAOS_AGENT_TOKEN" > runs/work.token\n' +
            "while [ ! -f runs/go ]; do sleep 0.1; done",
        },
      ],
    });
    const maos = new MaosProcess(["orchestrate", "Limits", "--plan", plan], {
      cwd: dir,
    });
    try {
      const id = await waitForOrchestration(dir, maos);
      const tokenFile = path.join(dir, "runs/work.token");
      await waitUntil(() => fs.existsSync(tokenFile), "the worker's token");
      const token = fs.readFileSync(tokenFile, "utf8");
      await fn(dir, id, (over = {}) => ({
        MAOS_DIR: path.join(dir, ".maos"),
        MAOS_ORCHESTRATION_ID: id,
        MAOS_AGENT_ID: "worker-001",
        MAOS_TASK_ID: "work",
        MAOS_AGENT_TOKEN: token,
        ...over,
      }), () => maos.output());
      fs.writeFileSync(path.join(dir, "runs/go"), "");
      assertEquals((await maos.exit()).code, 0, maos.output());
      assertEquals(taskStatuses(dir, id).work, "completed");
    } finally {
      if (!maos.exited) maos.kill("SIGKILL");
      await maos.exit().catch(() => {});
    }
  });
}

Deno.test("maos mcp limits: a big message is a file the event names, too big is refused with the cap, a too-long line is answered and the server lives on, bad params are -32602", async () => {
  await withRunning(async (dir, id, agentEnv) => {
    const { client, stderr } = await connect(dir, agentEnv());
    try {
      const big = "big message line\n".repeat(12_000); // ~200 KB
      assertEquals(
        (await call(client, "send_message", { content: big })).text,
        "Sent (info) to all.",
      );
      await waitUntil(
        () =>
          readEvents(dir, id).some((e) =>
            e.type === "message" && e.from === "worker-001"
          ),
        "the big message in the log",
      );
      const event = readEvents(dir, id).find((e) =>
        e.type === "message" && e.from === "worker-001"
      )!;
      assert(event.type === "message" && event.contentFile, "names a file");
      assertEquals(event.contentBytes, big.length);
      assert(event.content.length < 300, "the event holds only its start");
      assertEquals(
        fs.readFileSync(
          path.join(dir, ".maos/orchestrations", id, event.contentFile),
          "utf8",
        ),
        big,
      );
      // Every line of the log stays small.
      const longest = Math.max(
        ...fs.readFileSync(
          path.join(dir, ".maos/orchestrations", id, "events.jsonl"),
          "utf8",
        ).split("\n").map((l) => l.length),
      );
      assert(longest < 8_000, `longest log line: ${longest}`);
      // message list names the file.
      const listed = await runMaos(["message", "list", id], { cwd: dir });
      assertIncludes(listed.stdout, `${big.length} bytes in `);
      assertIncludes(listed.stdout, event.contentFile);

      // A big one to this agent: read_messages gives its start and where it is.
      appendInbox(new MaosPaths(path.join(dir, ".maos")), id, {
        at: new Date().toISOString(),
        from: "user",
        to: "worker-001",
        kind: "info",
        content: "from a person\n".repeat(10_000),
      });
      const read = await call(client, "read_messages");
      assert(
        /info from user to worker-001: from a person\n[\s\S]*\(the whole message, 140000 bytes, is in \$MAOS_DIR\/orchestrations\/[0-9a-f]{12}\/attachments\/[0-9a-f]{12}\.txt\)$/
          .test(read.text),
        read.text.slice(-300),
      );

      const tooBig = await call(client, "send_message", {
        content: "x".repeat(2 * 1024 * 1024),
      });
      assert(tooBig.isError, tooBig.text);
      assertIncludes(tooBig.text, "the limit is 1048576 bytes");

      // A request line past the transport's limit: an error answer, a line on stderr.
      let refused: unknown;
      try {
        await call(client, "send_message", {
          content: "y".repeat(9 * 1024 * 1024),
        });
      } catch (err) {
        refused = err;
      }
      const tooLong = asMcpError(refused);
      assertEquals(tooLong.code, -32600);
      assertIncludes(tooLong.message, "the limit is 8388608 bytes per line");
      await waitUntil(
        () => stderr().includes("refused a request of"),
        () => `stderr says so: ${stderr()}`,
      );
      // …and the server still answers.
      assertEquals(
        (await call(client, "send_message", { content: "still here" })).text,
        "Sent (info) to all.",
      );

      // Params that do not fit tools/call: -32602, one line, no zod dump.
      let bad: unknown;
      try {
        await client.request(
          { method: "tools/call", params: { arguments: 5 } as never },
          CallToolResultSchema,
        );
      } catch (err) {
        bad = err;
      }
      const invalid = asMcpError(bad);
      assertEquals(invalid.code, -32602);
      assert(!invalid.message.includes("\n"), invalid.message);
    } finally {
      await client.close();
    }
  });
});

Deno.test("read_messages answers in bounded pages (limit, after) and says how many more are waiting", async () => {
  await withRunning(async (dir, id, agentEnv) => {
    const { client } = await connect(dir, agentEnv());
    try {
      // 30 messages from a person, and 12 of 10 KB each.
      const inbox = path.join(dir, ".maos/orchestrations", id, "inbox.jsonl");
      const at = new Date().toISOString();
      const lines: string[] = [];
      for (let i = 1; i <= 30; i++) {
        lines.push(JSON.stringify({
          at,
          from: "user",
          to: "worker-001",
          kind: "info",
          content: `note ${i}`,
        }));
      }
      fs.appendFileSync(inbox, "\n" + lines.join("\n") + "\n");
      await waitUntil(
        () =>
          readEvents(dir, id).filter((e) => e.type === "message").length >= 30,
        "30 messages ingested",
      );
      const first = await call(client, "read_messages", { limit: 10 });
      const firstLines = first.text.split("\n");
      assertEquals(firstLines.length, 11, first.text);
      assertIncludes(firstLines[0], "note 1");
      assertIncludes(
        firstLines[10],
        "20 more messages waiting after these 10: call read_messages again",
      );
      // `after` skips to a seq: the seq of "note 25".
      const seq25 = readEvents(dir, id).find((e) =>
        e.type === "message" && e.content === "note 25"
      )!.seq;
      const rest = await call(client, "read_messages", { after: seq25 });
      assertEquals(
        rest.text.split("\n").map((l) =>
          l.replace(/^#\d+ /, "")
        ),
        [26, 27, 28, 29, 30].map((n) =>
          `info from user to worker-001: note ${n}`
        ),
      );

      const bigLines: string[] = [];
      for (let i = 1; i <= 12; i++) {
        bigLines.push(JSON.stringify({
          at,
          from: "user",
          to: null,
          kind: "info",
          content: `${i} ` + "z".repeat(3_000),
        }));
      }
      // Each line under the inbox's 4 KB: 12 × 3 KB = 36 KB, then 12 more.
      fs.appendFileSync(inbox, bigLines.join("\n") + "\n");
      fs.appendFileSync(inbox, bigLines.join("\n") + "\n");
      await waitUntil(
        () =>
          readEvents(dir, id).filter((e) => e.type === "message").length >= 54,
        "54 messages ingested",
      );
      const page = await call(client, "read_messages", { limit: 200 });
      assert(
        new TextEncoder().encode(page.text).length <= 64 * 1024,
        "bounded",
      );
      assert(/more messages waiting/.test(page.text), page.text.slice(-200));
      const next = await call(client, "read_messages", { limit: 200 });
      assert(!/more messages? waiting/.test(next.text), next.text.slice(-200));
      const total = [page.text, next.text].join("\n").split("\n")
        .filter((l) => l.startsWith("#")).length;
      assertEquals(total, 24);
    } finally {
      await client.close();
    }
  });
});

Deno.test("only an agent of the orchestration speaks: a ghost, a wrong task, another's task and a missing token are refused, and doctor reports it", async () => {
  await withRunning(async (dir, id, agentEnv, output) => {
    const ghost = await connect(
      dir,
      agentEnv({ MAOS_AGENT_ID: "ghost-007" }),
    );
    try {
      const sent = await call(ghost.client, "send_message", { content: "boo" });
      assert(sent.isError, sent.text);
      assertIncludes(sent.text, "no agent 'ghost-007'");
    } finally {
      await ghost.client.close();
    }
    const cli = await runMaos(["message", "send", "boo"], {
      cwd: dir,
      env: agentEnv({ MAOS_AGENT_ID: "ghost-007" }),
    });
    assertEquals(cli.code, 2, cli.stderr);
    assertIncludes(cli.stderr, "no agent 'ghost-007'");

    for (
      const [task, says] of [
        ["no-such-task", "no task 'no-such-task'"],
        ["first", "task 'first' belongs to helper-001, not worker-001"],
      ]
    ) {
      const { client } = await connect(dir, agentEnv({ MAOS_TASK_ID: task }));
      try {
        const r = await call(client, "report_progress", { percent: 50 });
        assert(r.isError, r.text);
        assertIncludes(r.text, says);
      } finally {
        await client.close();
      }
    }

    // The right id without the turn's token: written, not taken as the
    // agent's, and the answer says so (not "Sent").
    const impostor = await connect(dir, agentEnv({ MAOS_AGENT_TOKEN: "" }));
    try {
      const forged = await call(impostor.client, "send_message", {
        content: "trust me",
      });
      assert(forged.isError, forged.text);
      assertIncludes(forged.text, "not taken as worker-001's");
      assertIncludes(forged.text, "no agent token");
    } finally {
      await impostor.client.close();
    }
    await waitUntil(
      () => readEvents(dir, id).some((e) => e.type === "inbox.refused"),
      "the line is refused",
    );
    assert(
      !readEvents(dir, id).some((e) =>
        e.type === "message" && e.content === "trust me"
      ),
      "not ingested as worker-001",
    );
    // The run says so at once (a warning, shown even with --quiet).
    await waitUntil(
      () => output().includes("refused an inbox line from worker-001"),
      () => `the live view warns: ${output()}`,
    );
    const doctor = await runMaos(["doctor"], { cwd: dir });
    assertIncludes(doctor.stdout + doctor.stderr, "1 inbox line refused");
    assertIncludes(
      doctor.stdout + doctor.stderr,
      "no agent token: not sent by a process maos started for worker-001",
    );
  });
});
