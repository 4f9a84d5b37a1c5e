import * as fs from "node:fs";
import * as path from "node:path";
import { initMaosDir } from "../../store/config.ts";
import { appendInbox } from "../../store/inbox.ts";
import { Journal } from "../../store/journal.ts";
import { MaosPaths } from "../../store/paths.ts";
import type { MaosEvent, NewEvent } from "../../store/schema.ts";
import { assert, assertEquals, withTempDir } from "../../store/_test_util.ts";
import type { InboxMessage } from "../drivers/driver.ts";
import { BUS_WINDOW, deliveredThrough, MessageBus } from "./message_bus.ts";
import { foldEvent } from "../queries/state_fold.ts";
import { tokenHash } from "./agent_token.ts";

const ID = "0123456789ab";

const CREATED: NewEvent = {
  type: "orchestration.created",
  id: ID,
  request: "r",
  driver: "sim",
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

/** A real journal in a temp `.maos/`, closed after `fn`. */
async function withJournal(
  fn: (journal: Journal, paths: MaosPaths) => Promise<void> | void,
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
      await fn(journal, paths);
    } finally {
      await journal.close();
    }
  });
}

const send = (from: string, to: string | null, content: string) => ({
  from,
  to,
  kind: "info" as const,
  content,
});

const contents = (messages: InboxMessage[]) => messages.map((m) => m.content);

Deno.test("a message is in events.jsonl before anyone is told of it", async () => {
  await withJournal((journal, paths) => {
    const told: MaosEvent[] = [];
    const bus = new MessageBus(journal, (event) => {
      const log = fs.readFileSync(paths.events(ID), "utf8");
      assert(log.includes(`"seq":${event.seq},`), "persisted first");
      told.push(event);
    });
    const event = bus.publish(send("a-001", null, "hello"));
    assertEquals(event.seq, 2);
    assertEquals(told, [event]);
    assertEquals(journal.state.messages, 1);
    assertEquals(bus.size, 1);
  });
});

Deno.test("takeFor gives an agent its direct messages and broadcasts, each once, never its own", async () => {
  await withJournal((journal) => {
    const bus = new MessageBus(journal, () => {});
    bus.publish(send("a-001", null, "to all from a"));
    bus.publish(send("a-001", "b-001", "a to b"));
    bus.publish(send("b-001", "c-001", "b to c"));
    bus.publish(send("c-001", null, "to all from c"));
    assertEquals(contents(bus.takeFor("b-001")), [
      "to all from a",
      "a to b",
      "to all from c",
    ]);
    assertEquals(contents(bus.takeFor("a-001")), ["to all from c"]);
    assertEquals(bus.takeFor("b-001"), []);
    bus.publish(send("a-001", "b-001", "later"));
    assertEquals(contents(bus.takeFor("b-001")), ["later"]);
    assertEquals(contents(bus.takeFor("c-001")), [
      "to all from a",
      "b to c",
    ]);
  });
});

Deno.test("inbox.jsonl messages are ingested once, and the offset survives a reopen", async () => {
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
    const at = new Date().toISOString();
    journal.append({
      type: "task.status",
      task: "tb",
      status: "running",
      tokenHash: tokenHash("b-secret"),
    });
    appendInbox(paths, ID, { at, ...send("user", "a-001", "one") });
    appendInbox(paths, ID, {
      at,
      ...send("b-001", null, "two"),
      token: "b-secret",
    });
    const bus = new MessageBus(journal, () => {});
    assertEquals(bus.ingestInbox(), 2);
    assertEquals(bus.ingestInbox(), 0);
    assertEquals(contents(bus.takeFor("a-001")), ["one", "two"]);
    const offset = journal.state.inboxOffset;
    assertEquals(offset, fs.statSync(paths.inbox(ID)).size);
    await journal.close();

    appendInbox(paths, ID, { at, ...send("user", null, "three") });
    // Written while nothing ran (paused): the token of b's last turn still counts.
    appendInbox(paths, ID, {
      at,
      ...send("b-001", null, "four"),
      token: "b-secret",
    });
    const reopened = Journal.open(paths, ID, foldEvent, "relaxed", "test");
    try {
      const again = new MessageBus(reopened, () => {});
      assertEquals(again.ingestInbox(), 2);
      assertEquals(contents(again.takeFor("c-001")), ["three", "four"]);
      assertEquals(reopened.state.messages, 4);
    } finally {
      await reopened.close();
    }
  });
});

Deno.test("the bus keeps the newest BUS_WINDOW messages and skips what each agent has seen", async () => {
  await withJournal((journal) => {
    const history: InboxMessage[] = [];
    for (let seq = 1; seq <= BUS_WINDOW + 5; seq++) {
      history.push({
        seq,
        from: "a-001",
        to: seq % 2 ? "b-001" : "c-001",
        type: "info",
        content: `m${seq}`,
      });
    }
    const bus = new MessageBus(
      journal,
      () => {},
      history,
      new Map([["b-001", BUS_WINDOW]]),
    );
    assertEquals(bus.size, BUS_WINDOW);
    // b saw everything through seq BUS_WINDOW (200): only 201, 203, 205 are new.
    assertEquals(contents(bus.takeFor("b-001")), ["m201", "m203", "m205"]);
    // c saw nothing: its messages from the window, the oldest five cut off.
    const forC = bus.takeFor("c-001");
    assertEquals(forC[0].content, "m6");
    assertEquals(forC.length, 100);
  });
});

Deno.test("deliveredThrough counts completed turns; cut or failed turns and restores do not", () => {
  let seq = 0;
  const status = (task: string, s: string): MaosEvent =>
    ({
      seq: ++seq,
      at: "2026-01-01T00:00:00.000Z",
      type: "task.status",
      task,
      status: s,
    }) as MaosEvent;
  const agentOf = (task: string) =>
    ({ a1: "a-001", a2: "a-001", b1: "b-001", c1: "c-001" })[task];
  const events = [
    status("a1", "running"), // 1
    status("b1", "running"), // 2
    status("a1", "completed"), // 3
    status("c1", "running"), // 4
    status("a2", "running"), // 5
    status("b1", "paused"), // 6
    status("c1", "failed"), // 7
    status("a2", "completed"), // 8
    status("b1", "running"), // 9
  ];
  assertEquals(
    [...deliveredThrough(events, agentOf)],
    [["a-001", 5]],
  );
  const restored = {
    seq: ++seq,
    at: "2026-01-01T00:00:00.000Z",
    type: "checkpoint.restored",
  } as MaosEvent;
  assertEquals(
    [...deliveredThrough(
      [...events, restored, status("b1", "completed")],
      agentOf,
    )],
    [],
  );
});

Deno.test("inbox lines that claim an agent without its token, name no agent, or report on another's task are refused and logged", async () => {
  await withJournal((journal, paths) => {
    journal.append({
      type: "task.status",
      task: "ta",
      status: "running",
      tokenHash: tokenHash("a-secret"),
    });
    journal.append({
      type: "task.status",
      task: "tb",
      status: "running",
      tokenHash: tokenHash("b-secret"),
    });
    const at = new Date().toISOString();
    const lines = [
      { at, ...send("ghost-007", null, "boo"), token: "a-secret" },
      { at, ...send("a-001", null, "no token") },
      { at, ...send("a-001", null, "b's token"), token: "b-secret" },
      {
        at,
        from: "a-001",
        kind: "progress" as const,
        task: "tb",
        percent: 50,
        token: "a-secret",
      },
      {
        at,
        from: "a-001",
        kind: "progress" as const,
        task: "no-such-task",
        percent: 50,
        token: "a-secret",
      },
      { at, ...send("a-001", null, "the real a"), token: "a-secret" },
    ];
    for (const line of lines) appendInbox(paths, ID, line);
    const seen: MaosEvent[] = [];
    const bus = new MessageBus(journal, (e) => seen.push(e));
    assertEquals(bus.ingestInbox(), lines.length);
    const refused = seen.filter((e) => e.type === "inbox.refused");
    assertEquals(
      refused.map((e) => e.type === "inbox.refused" && e.reason),
      [
        "'ghost-007' is not an agent of this orchestration",
        "no agent token: not sent by a process maos started for a-001",
        "wrong agent token for a-001",
        "task 'tb' belongs to b-001, not a-001",
        "no task 'no-such-task'",
      ],
    );
    assertEquals(journal.state.messages, 1);
    assertEquals(contents(bus.takeFor("c-001")), ["the real a"]);
    assertEquals(journal.state.tasks.find((t) => t.id === "tb")!.progress, 0);
    assertEquals(journal.state.inboxOffset, fs.statSync(paths.inbox(ID)).size);
  });
});

Deno.test("a message above maxInlineBytes is logged as a file the event names, and agents are told where it is", async () => {
  await withJournal((journal, paths) => {
    const bus = new MessageBus(journal, () => {}, [], new Map(), 1000);
    const long = "x".repeat(5000);
    const event = bus.publish({
      from: "a-001",
      to: null,
      kind: "discovery",
      content: long,
    });
    assert(event.type === "message" && event.contentFile !== undefined);
    assertEquals(event.contentBytes, 5000);
    assert(event.content.length < 300);
    assertEquals(
      fs.readFileSync(
        path.join(paths.orchestration(ID), event.contentFile),
        "utf8",
      ),
      long,
    );
    const [delivered] = bus.takeFor("b-001");
    assert(
      delivered.content.endsWith(
        `(the whole message, 5000 bytes, is in $MAOS_DIR/orchestrations/${ID}/${event.contentFile})`,
      ),
      delivered.content,
    );
    // A short one stays inline.
    const short = bus.publish({
      from: "a-001",
      to: null,
      kind: "info",
      content: "hi",
    });
    assert(short.type === "message" && short.contentFile === undefined);
  });
});
