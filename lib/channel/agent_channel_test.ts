import * as path from "node:path";
import { initMaosDir } from "../../store/config.ts";
import { Journal } from "../../store/journal.ts";
import { MaosPaths } from "../../store/paths.ts";
import type { NewEvent } from "../../store/schema.ts";
import {
  assertEquals,
  assertMaosError,
  withTempDir,
} from "../../store/_test_util.ts";
import {
  type AgentIdentity,
  MessageReader,
  reportAgentProgress,
  sendAgentMessage,
} from "./agent_channel.ts";
import { MessageBus } from "../engine/message_bus.ts";
import { tokenHash } from "../engine/agent_token.ts";

import { foldEvent } from "../queries/state_fold.ts";

const ID = "0123456789ab";

const CREATED: NewEvent = {
  type: "orchestration.created",
  id: ID,
  request: "r",
  driver: "shell",
  maxParallel: 3,
  plan: {
    agents: ["a-001", "b-001", "c-001"].map((id) => ({
      id,
      role: id[0],
      instructions: "",
    })),
    tasks: [
      { id: "ta", agent: "a-001", title: "A", description: "", dependsOn: [] },
      { id: "tb", agent: "b-001", title: "B", description: "", dependsOn: [] },
    ],
  },
};

/** A real journal in a temp `.maos/` (no orchestrator: the test ingests). */
async function withJournal(
  fn: (journal: Journal, bus: MessageBus, paths: MaosPaths) => void,
): Promise<void> {
  await withTempDir(async (dir) => {
    const root = path.join(dir, ".maos");
    await initMaosDir(root);
    const paths = new MaosPaths(root);
    const journal = await Journal.create(
      paths,
      ID,
      CREATED,
      foldEvent,
      "relaxed",
      "test",
    );
    try {
      fn(journal, new MessageBus(journal, () => {}), paths);
    } finally {
      await journal.close();
    }
  });
}

const message = (from: string, to: string | null, content: string) =>
  ({ type: "message", from, to, kind: "info", content }) as const;

const contents = (reader: MessageReader) =>
  reader.readNew().map((m) =>
    `${m.seq === null ? "pending" : "logged"} ${m.content}`
  );

Deno.test("read_messages: from the turn's start, for this agent or all, from others, each once — pending in the inbox or logged", async () => {
  await withJournal((journal, bus, paths) => {
    const who: AgentIdentity = {
      paths,
      orchestrationId: ID,
      agentId: "a-001",
      taskId: "ta",
    };
    journal.append(message("b-001", "a-001", "before the turn"));
    journal.append({ type: "task.status", task: "ta", status: "running" });
    journal.append({
      type: "task.status",
      task: "tb",
      status: "running",
      tokenHash: tokenHash("b-secret"),
    });
    journal.append(message("b-001", null, "hello all"));
    journal.append(message("b-001", "c-001", "not for a"));
    journal.append(message("a-001", null, "a's own"));
    const reader = new MessageReader(who);
    assertEquals(contents(reader), ["logged hello all"]);
    assertEquals(contents(reader), []);

    const b = { ...who, agentId: "b-001", taskId: "tb", token: "b-secret" };
    sendAgentMessage(b, { to: "a", kind: "request", content: "pending one" });
    sendAgentMessage(b, { to: "c-001", kind: "request", content: "for c" });
    assertEquals(contents(reader), ["pending pending one"]);
    // Ingested by the orchestrator: not returned a second time.
    assertEquals(bus.ingestInbox(), 2);
    assertEquals(contents(reader), []);

    journal.append(message("c-001", "a-001", "later"));
    assertEquals(contents(reader), ["logged later"]);

    // A second reader (a new server in the same turn) starts at the turn again.
    assertEquals(contents(new MessageReader(who)), [
      "logged hello all",
      "logged pending one",
      "logged later",
    ]);
  });
});

Deno.test("read_messages: without a start of its task in the log, the turn starts when the reader is made", async () => {
  await withJournal((journal, _bus, paths) => {
    journal.append(message("a-001", "b-001", "too early"));
    const reader = new MessageReader({
      paths,
      orchestrationId: ID,
      agentId: "b-001",
      taskId: "tb",
    });
    journal.append(message("a-001", "b-001", "in time"));
    assertEquals(contents(reader), ["logged in time"]);
  });
});

Deno.test("report_progress goes through the inbox: a running task takes it, an ended one only moves the offset", async () => {
  await withJournal((journal, bus, paths) => {
    const who: AgentIdentity = {
      paths,
      orchestrationId: ID,
      agentId: "a-001",
      taskId: "ta",
    };
    journal.append({
      type: "task.status",
      task: "ta",
      status: "running",
      tokenHash: tokenHash("a-secret"),
    });
    const a = { ...who, token: "a-secret" };
    reportAgentProgress(a, 39.6, "most of it");
    bus.ingestInbox();
    const progressed = journal.state.tasks.find((t) => t.id === "ta")!;
    assertEquals(progressed.progress, 40);
    const event = journal.state.lastSeq;
    assertEquals(journal.state.inboxOffset > 0, true);

    // Sent while it ran, ingested after it ended.
    reportAgentProgress(a, 10);
    journal.append({ type: "task.status", task: "ta", status: "completed" });
    // Once it has ended, the agent is told so.
    assertMaosError(() => reportAgentProgress(a, 20), 2, "not running");
    const before = journal.state.inboxOffset;
    assertEquals(bus.ingestInbox(), 1);
    assertEquals(journal.state.tasks.find((t) => t.id === "ta")!.progress, 100);
    assertEquals(journal.state.inboxOffset > before, true);
    assertEquals(bus.ingestInbox(), 0);
    assertEquals(journal.state.lastSeq, event + 2);
  });
});
