import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import process from "node:process";
import { newId } from "./ids.ts";
import { Journal, loadOrchestration, readSnapshot } from "./journal.ts";
import { MaosPaths } from "./paths.ts";
import { FORMAT_VERSION } from "./schema.ts";
import { foldEvent } from "../lib/queries/state_fold.ts";
import {
  AGENT,
  assert,
  assertEquals,
  assertMaosError,
  assertRejectsMaos,
  createdEvent,
  deadPid,
  fileBytes,
  foldLog,
  messageEvent,
  readAllEvents,
  withTempDir,
} from "./_test_util.ts";

async function newJournal(dir: string): Promise<Journal> {
  const paths = new MaosPaths(path.join(dir, ".maos"));
  const id = newId();
  return await Journal.create(
    paths,
    id,
    createdEvent(id),
    foldEvent,
    "strict",
    "test",
  );
}

function appendSome(journal: Journal, n: number): void {
  for (let i = 0; i < n; i++) {
    journal.append(messageEvent(`note ${journal.lastSeq + 1}`));
    if (i % 3 === 0) {
      journal.append({ type: "task.progress", task: "t1", progress: i % 100 });
    }
  }
}

Deno.test("create, append, snapshot: state.json is the fold of the whole log, and rebuilding it gives the same", async () => {
  await withTempDir(async (dir) => {
    const journal = await newJournal(dir);
    const { paths, id } = journal;
    journal.append({ type: "orchestration.started" });
    journal.append({ type: "agent.status", agent: AGENT, status: "running" });
    journal.append({ type: "task.status", task: "t1", status: "running" });
    appendSome(journal, 10);
    journal.append({
      type: "cost",
      agent: AGENT,
      costUsd: 0.25,
      inputTokens: 10,
      outputTokens: 2,
    });
    journal.append({
      type: "task.status",
      task: "t1",
      status: "completed",
      summary: "done",
    });
    await journal.snapshot();

    const snapshot = readSnapshot(paths, id)!;
    const events = fs.statSync(paths.events(id));
    assertEquals(snapshot.formatVersion, FORMAT_VERSION);
    assertEquals(snapshot.logOffset, events.size);
    assertEquals(snapshot.state, foldLog(paths.events(id)));
    assertEquals(snapshot.state, journal.state);
    assertEquals(snapshot.state.tasks[0].status, "completed");
    assertEquals(snapshot.state.cost, 0.25);
    const text = fs.readFileSync(paths.state(id), "utf8");
    assert(text.endsWith("}\n") && text.includes('\n  "state": {'));

    const loaded = loadOrchestration(paths, id, foldEvent);
    assertEquals(loaded.state, journal.state);
    assertEquals(loaded.replayed, 0);
    await journal.close();

    fs.rmSync(paths.state(id));
    const rebuilt = loadOrchestration(paths, id, foldEvent);
    assertEquals(rebuilt.state, snapshot.state);
    assertEquals(rebuilt.replayed, snapshot.state.lastSeq);
  });
});

Deno.test("loading reads state.json and then only the log past its logOffset", async () => {
  await withTempDir(async (dir) => {
    const journal = await newJournal(dir);
    const { paths, id } = journal;
    appendSome(journal, 6);
    await journal.snapshot();
    const snapshotSeq = journal.lastSeq;
    appendSome(journal, 4);
    const expected = foldLog(paths.events(id));

    // Readers load while the writer holds the lock.
    const loaded = loadOrchestration(paths, id, foldEvent);
    assertEquals(loaded.hintMatched, true);
    assertEquals(loaded.replayed, journal.lastSeq - snapshotSeq);
    assertEquals(loaded.state, expected);

    // Damage line 2 without moving offsets: only a full scan would notice.
    const bytes = fileBytes(paths.events(id));
    const secondLine = bytes.indexOf(0x0a) + 1;
    bytes.fill(0x23, secondLine, secondLine + 8);
    fs.writeFileSync(paths.events(id), bytes);
    assertEquals(loadOrchestration(paths, id, foldEvent).state, expected);
    await journal.close();
  });
});

Deno.test("a logOffset that does not match (log rewritten with CRLF) falls back to a full scan and says so", async () => {
  await withTempDir(async (dir) => {
    const journal = await newJournal(dir);
    const { paths, id } = journal;
    appendSome(journal, 5);
    await journal.snapshot();
    appendSome(journal, 3);
    await journal.close();
    const expected = foldLog(paths.events(id));
    const lf = fs.readFileSync(paths.events(id), "utf8");
    fs.writeFileSync(paths.events(id), lf.replaceAll("\n", "\r\n"));

    const loaded = loadOrchestration(paths, id, foldEvent);
    assertEquals(loaded.hintMatched, false);
    assertEquals(loaded.state, expected);
    assertEquals(loaded.end.offset, fs.statSync(paths.events(id)).size);

    const reopened = Journal.open(paths, id, foldEvent, "strict", "test");
    assertEquals(reopened.opened.hintMatched, false);
    reopened.append(messageEvent("after CRLF"));
    await reopened.close();
    assertEquals(loadOrchestration(paths, id, foldEvent).hintMatched, true);
    assertEquals(
      readAllEvents(paths.events(id)).at(-1)?.seq,
      expected.lastSeq + 1,
    );
  });
});

Deno.test("opening an orchestration another live process holds is code 3; close releases the lock", async () => {
  await withTempDir(async (dir) => {
    const journal = await newJournal(dir);
    const { paths, id } = journal;
    const before = fileBytes(paths.events(id));
    assertMaosError(
      () => Journal.open(paths, id, foldEvent, "strict", "second"),
      3,
      `pid ${process.pid}`,
    );
    assertEquals(fileBytes(paths.events(id)), before);
    await journal.close();
    assert(!fs.existsSync(paths.lock(id)), "close left run.lock");

    const again = Journal.open(paths, id, foldEvent, "strict", "second");
    assertEquals(again.append(messageEvent("x")).seq, 2);
    await again.close();
    assert(!fs.existsSync(paths.lock(id)));
  });
});

Deno.test("open takes over a stale lock, cuts a torn tail and continues the seq", async () => {
  await withTempDir(async (dir) => {
    const journal = await newJournal(dir);
    const { paths, id } = journal;
    appendSome(journal, 4);
    await journal.close();
    const lastSeq = readAllEvents(paths.events(id)).length;
    const torn = `{"seq":${lastSeq + 1},"at":"2026-`;
    fs.appendFileSync(paths.events(id), torn);
    fs.writeFileSync(
      paths.lock(id),
      JSON.stringify({
        formatVersion: 1,
        pid: await deadPid(),
        host: os.hostname(),
        processStart: null,
        acquiredAt: new Date().toISOString(),
        heartbeatAt: new Date().toISOString(),
        command: "crashed",
      }),
    );

    const reopened = Journal.open(paths, id, foldEvent, "batched", "test");
    assertEquals(reopened.opened.tornBytes, torn.length);
    assertEquals(reopened.append(messageEvent("next")).seq, lastSeq + 1);
    await reopened.close();
    const events = readAllEvents(paths.events(id));
    assertEquals(events.map((e) => e.seq), events.map((_, i) => i + 1));
    assertEquals(loadOrchestration(paths, id, foldEvent).tornBytes, 0);
  });
});

Deno.test("open on a log with a corrupt middle line is code 4, changes nothing and holds no lock", async () => {
  await withTempDir(async (dir) => {
    const journal = await newJournal(dir);
    const { paths, id } = journal;
    appendSome(journal, 5);
    await journal.close();
    fs.rmSync(paths.state(id)); // force a full read
    const lines = fs.readFileSync(paths.events(id), "utf8").split("\n");
    lines[2] = "{oops";
    fs.writeFileSync(paths.events(id), lines.join("\n"));
    const before = fileBytes(paths.events(id));

    assertMaosError(
      () => Journal.open(paths, id, foldEvent, "strict", "test"),
      4,
      paths.events(id),
      "line 3",
    );
    assertEquals(fileBytes(paths.events(id)), before);
    assert(!fs.existsSync(paths.state(id)));
    assert(!fs.existsSync(paths.lock(id)), "the lock was not released");
  });
});

Deno.test("a state.json ahead of its log (log cut short) is corruption, not a silent rewind", async () => {
  await withTempDir(async (dir) => {
    const journal = await newJournal(dir);
    const { paths, id } = journal;
    appendSome(journal, 5);
    await journal.close();
    const lines = fs.readFileSync(paths.events(id), "utf8").split("\n");
    fs.writeFileSync(paths.events(id), lines.slice(0, 3).join("\n") + "\n");
    assertMaosError(
      () => loadOrchestration(paths, id, foldEvent),
      4,
      "ends at event 3",
    );
  });
});

Deno.test("create refuses an id whose log already exists, and changes nothing", async () => {
  await withTempDir(async (dir) => {
    const journal = await newJournal(dir);
    const { paths, id } = journal;
    appendSome(journal, 3);
    await journal.close();
    const events = fileBytes(paths.events(id));
    const state = fileBytes(paths.state(id));
    await assertRejectsMaos(
      () =>
        Journal.create(
          paths,
          id,
          createdEvent(id),
          foldEvent,
          "strict",
          "again",
        ),
      2,
      "already exists",
    );
    assertEquals(fileBytes(paths.events(id)), events);
    assertEquals(fileBytes(paths.state(id)), state);
    assert(!fs.existsSync(paths.lock(id)));
  });
});

Deno.test("dirty tracks appends since the last snapshot, and close writes the snapshot", async () => {
  await withTempDir(async (dir) => {
    const journal = await newJournal(dir);
    const { paths, id } = journal;
    assertEquals(journal.dirty, false);
    journal.append(messageEvent("one"));
    assertEquals(journal.dirty, true);
    await journal.snapshot();
    assertEquals(journal.dirty, false);
    journal.append(messageEvent("two"));
    await journal.close();
    const snapshot = readSnapshot(paths, id)!;
    assertEquals(snapshot.state.lastSeq, 3);
    assertEquals(snapshot.state.messages, 2);
    assertEquals(snapshot.logOffset, fs.statSync(paths.events(id)).size);
    assertEquals(fs.readdirSync(paths.orchestration(id)).sort(), [
      "agents",
      "events.jsonl",
      "state.json",
    ]);

    const reopened = Journal.open(paths, id, foldEvent, "relaxed", "test");
    assertEquals(reopened.opened.replayed, 0);
    assertEquals(reopened.dirty, false);
    await reopened.close();
  });
});
