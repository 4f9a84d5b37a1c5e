import assert from "node:assert/strict";
import * as fs from "node:fs";
import { MaosError } from "../../store/errors.ts";
import {
  addOrchestration,
  deadPid,
  tempProject,
  writeLock,
} from "../../tests/e2e/_store_fixture.ts";
import {
  derivedStatus,
  listOrchestrations,
  orchestrationStatus,
} from "./queries.ts";
import { listMessages, messagesAfter, scanMessages } from "./messages.ts";
import {
  chooseResumable,
  mostRecentOrchestration,
  resolveOrchestrationId,
} from "./choose.ts";

function assertMaosError(fn: () => unknown, code: number, pattern: RegExp) {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof MaosError, String(err));
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    return true;
  });
}

Deno.test("derivedStatus: running without a live lock is interrupted; other states are kept", () => {
  const live = {
    state: "live" as const,
    lock: {
      formatVersion: 1 as const,
      pid: 1,
      host: "h",
      processStart: null,
      acquiredAt: "",
      heartbeatAt: "",
      command: "",
    },
  };
  assert.equal(derivedStatus({ status: "running" }, live), "running");
  assert.equal(
    derivedStatus({ status: "running" }, { state: "free" }),
    "interrupted",
  );
  assert.equal(
    derivedStatus({ status: "running" }, {
      state: "stale",
      lock: live.lock,
      reason: "gone",
    }),
    "interrupted",
  );
  assert.equal(
    derivedStatus({ status: "paused" }, { state: "free" }),
    "paused",
  );
  assert.equal(
    derivedStatus({ status: "completed" }, { state: "free" }),
    "completed",
  );
});

Deno.test("listOrchestrations: newest first, filtered by derived status, limited", async () => {
  const { paths, cleanup } = await tempProject();
  try {
    const a = await addOrchestration(paths, {
      end: "completed",
      request: "first",
    });
    await new Promise((r) => setTimeout(r, 5));
    const b = await addOrchestration(paths, {
      end: "paused",
      request: "second",
    });
    await new Promise((r) => setTimeout(r, 5));
    const c = await addOrchestration(paths, {
      end: "running",
      request: "third",
    });
    writeLock(paths, c, await deadPid());
    const all = listOrchestrations(paths);
    assert.deepEqual(all.map((o) => o.id), [c, b, a]);
    assert.deepEqual(all.map((o) => o.status), [
      "interrupted",
      "paused",
      "completed",
    ]);
    assert.deepEqual(
      listOrchestrations(paths, { status: "paused" }).map((o) => o.id),
      [b],
    );
    assert.deepEqual(listOrchestrations(paths, { limit: 2 }).map((o) => o.id), [
      c,
      b,
    ]);
    assert.equal(chooseResumable(paths), c);
    assert.equal(mostRecentOrchestration(paths), c);
  } finally {
    await cleanup();
  }
});

Deno.test("listOrchestrations: a missing or corrupt state.json is rebuilt from the log; a corrupt log is a damaged row, its status exit 4", async () => {
  const { paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths, { end: "paused" });
    fs.mkdirSync(paths.orchestration("0123456789ab")); // being created: no files yet
    fs.rmSync(paths.state(id));
    assert.deepEqual(listOrchestrations(paths).map((o) => [o.id, o.status]), [[
      id,
      "paused",
    ]]);
    fs.writeFileSync(paths.state(id), "{");
    const warnings: string[] = [];
    assert.deepEqual(
      listOrchestrations(paths, { onWarning: (w) => warnings.push(w) }).map((
        o,
      ) => [o.id, o.status]),
      [[id, "paused"]],
    );
    assert.match(warnings.join("\n"), /state\.json is not valid JSON/);
    // A corrupt log is not a cache: the row says it is damaged (issue 17),
    // and commands about it stay exit 4.
    fs.appendFileSync(paths.events(id), "garbage\n{}\n");
    const [row] = listOrchestrations(paths);
    assert.equal(row.status, "damaged");
    assert.match(row.damage ?? "", /events\.jsonl line \d+ is corrupt/);
    assert.match(row.hint ?? "", /maos doctor/);
    assertMaosError(
      () => orchestrationStatus(paths, id),
      4,
      /events\.jsonl line \d+ is corrupt/,
    );
  } finally {
    await cleanup();
  }
});

Deno.test("orchestrationStatus: progress, agents, tasks and recent messages; interrupted spreads to running work", async () => {
  const { paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths, {
      end: "running",
      cost: 0.5,
      messages: [
        { from: "analyst-001", to: null, kind: "discovery", content: "one" },
        {
          from: "analyst-001",
          to: "developer-001",
          kind: "info",
          content: "two",
        },
        {
          from: "developer-001",
          to: null,
          kind: "broadcast",
          content: "three",
        },
      ],
    });
    const status = orchestrationStatus(paths, id, { messages: 2 });
    assert.equal(status.status, "interrupted");
    assert.deepEqual(status.progress, { completed: 1, total: 2 });
    assert.equal(status.cost, 0.5);
    assert.equal(status.messages, 3);
    assert.deepEqual(status.agents.map((a) => [a.id, a.status, a.sessionId]), [
      ["analyst-001", "completed", null],
      ["developer-001", "interrupted", "sess-123"],
    ]);
    assert.deepEqual(
      status.tasks.map((t) => [t.id, t.status, t.progress, t.dependsOn]),
      [
        ["analyze", "completed", 100, []],
        ["build", "interrupted", 40, ["analyze"]],
      ],
    );
    assert.deepEqual(
      status.recentMessages.map((m) => [m.type, m.content, m.to]),
      [
        ["info", "two", "developer-001"],
        ["broadcast", "three", null],
      ],
    );
    assert.deepEqual(
      orchestrationStatus(paths, id, { messages: 0 }).recentMessages,
      [],
    );
  } finally {
    await cleanup();
  }
});

Deno.test("orchestrationStatus reads events past the snapshot (state.json behind the log)", async () => {
  const { paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths, { end: "paused" });
    const old = fs.readFileSync(paths.state(id), "utf8");
    const extra = (seq: number) =>
      JSON.stringify({
        seq,
        at: new Date().toISOString(),
        type: "message",
        from: "user",
        to: null,
        kind: "info",
        content: `late ${seq}`,
      }) + "\n";
    const lastSeq = JSON.parse(old).state.lastSeq;
    fs.appendFileSync(paths.events(id), extra(lastSeq + 1));
    const status = orchestrationStatus(paths, id);
    assert.equal(status.messages, 1);
    assert.equal(status.recentMessages.at(-1)?.content, `late ${lastSeq + 1}`);
    assert.equal(fs.readFileSync(paths.state(id), "utf8"), old); // readers write nothing
  } finally {
    await cleanup();
  }
});

Deno.test("listMessages keeps the last N, and a corrupt middle line anywhere is exit 4 with file and line", async () => {
  const { paths, cleanup } = await tempProject();
  try {
    const messages = Array.from({ length: 7 }, (_, i) => ({
      from: "analyst-001",
      to: null,
      kind: "info" as const,
      content: `m${i}`,
    }));
    const id = await addOrchestration(paths, { messages });
    assert.deepEqual(listMessages(paths, id, 3).map((m) => m.content), [
      "m4",
      "m5",
      "m6",
    ]);
    assert.equal(listMessages(paths, id, 100).length, 7);
    const lines = fs.readFileSync(paths.events(id), "utf8").split("\n");
    lines[1] = "{broken";
    fs.writeFileSync(paths.events(id), lines.join("\n"));
    assertMaosError(
      () => listMessages(paths, id, 3),
      4,
      /events\.jsonl line 2 is corrupt/,
    );
  } finally {
    await cleanup();
  }
});

Deno.test("messagesAfter continues from a cursor and says when the orchestration stopped", async () => {
  const { paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths, {
      end: "completed",
      messages: [{ from: "analyst-001", to: null, kind: "info", content: "a" }],
    });
    const first = scanMessages(paths, id, 10);
    const next = messagesAfter(paths, id, first.end);
    assert.deepEqual(next.messages, []);
    assert.equal(next.stopped, true);
    const fromStart = messagesAfter(paths, id, { seq: 0, offset: 0 });
    assert.deepEqual(fromStart.messages.map((m) => m.content), ["a"]);
  } finally {
    await cleanup();
  }
});

Deno.test("resolveOrchestrationId: unique prefix, not found, ambiguous, invalid", async () => {
  const { paths, cleanup } = await tempProject();
  try {
    await addOrchestration(paths, { id: "abcd00000001" });
    await addOrchestration(paths, { id: "abcd00000002" });
    assert.equal(resolveOrchestrationId(paths, "abcd00000002"), "abcd00000002");
    assert.equal(resolveOrchestrationId(paths, "ABCD00000001"), "abcd00000001");
    assertMaosError(
      () => resolveOrchestrationId(paths, "abcd"),
      2,
      /ambiguous: abcd00000001, abcd00000002/,
    );
    assertMaosError(
      () => resolveOrchestrationId(paths, "ffff"),
      2,
      /not found/,
    );
    assertMaosError(
      () => resolveOrchestrationId(paths, "../etc"),
      2,
      /invalid/,
    );
  } finally {
    await cleanup();
  }
});

Deno.test("listOrchestrations sees events past state.json (a crash before the next save), as status does", async () => {
  const { paths, cleanup } = await tempProject();
  try {
    const id = await addOrchestration(paths, { end: "paused" });
    const before = listOrchestrations(paths)[0];
    const lastSeq =
      JSON.parse(fs.readFileSync(paths.state(id), "utf8")).state.lastSeq;
    // What a run appends and then loses its process before saving state.json.
    fs.appendFileSync(
      paths.events(id),
      JSON.stringify({
        seq: lastSeq + 1,
        at: new Date().toISOString(),
        type: "message",
        from: "analyst-001",
        to: null,
        kind: "info",
        content: "after the last save",
      }) + "\n",
    );
    const after = listOrchestrations(paths)[0];
    assert.equal(after.messages, before.messages + 1);
    assert.equal(after.messages, orchestrationStatus(paths, id).messages);
  } finally {
    await cleanup();
  }
});
