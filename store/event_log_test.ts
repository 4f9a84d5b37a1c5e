import * as fs from "node:fs";
import * as path from "node:path";
import {
  EventLog,
  LOG_START,
  logEndsAt,
  type LogPosition,
  readRecentEvents,
  scanLog,
} from "./event_log.ts";
import type { Durability, MaosEvent } from "./schema.ts";
import {
  assert,
  assertEquals,
  assertIncludes,
  assertMaosError,
  fileBytes,
  messageEvent,
  messageLine,
  readAllEvents,
  sleep,
  withTempDir,
} from "./_test_util.ts";
import {
  fillDisk,
  ignoredBecause,
  mountTinyDisk,
  tinyDiskProbe,
} from "./_test_disk.ts";

const seqs = (events: MaosEvent[]) => events.map((e) => e.seq);
const contents = (events: MaosEvent[]) =>
  events.map((e) => e.type === "message" ? e.content : e.type);

/** n message lines, and the position after each (index i → after seq i+1). */
function writeLines(
  file: string,
  n: number,
  content = (seq: number) => `message ${seq}`,
): LogPosition[] {
  let offset = 0;
  const ends: LogPosition[] = [];
  let text = "";
  for (let seq = 1; seq <= n; seq++) {
    const line = messageLine(seq, content(seq));
    text += line;
    offset += new TextEncoder().encode(line).length;
    ends.push({ seq, offset });
  }
  fs.writeFileSync(file, text);
  return ends;
}

Deno.test("appended events get seq 1, 2, 3 … and the end offset is the file size", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    const log = EventLog.openForAppend(file, LOG_START, "strict");
    const appended = [1, 2, 3, 4, 5].map((i) =>
      log.append(messageEvent(`m${i}`))
    );
    log.close();
    assertEquals(seqs(appended), [1, 2, 3, 4, 5]);
    assertEquals(log.end, { seq: 5, offset: fs.statSync(file).size });
    const events = readAllEvents(file);
    assertEquals(seqs(events), [1, 2, 3, 4, 5]);
    assertEquals(contents(events), ["m1", "m2", "m3", "m4", "m5"]);
    // One whole line per event, LF only.
    const text = fs.readFileSync(file, "utf8");
    assertEquals(text.split("\n").length, 6);
    assert(!text.includes("\r"));
  });
});

Deno.test("reopening after scanLog continues the seq where the file ends", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    const first = EventLog.openForAppend(file, LOG_START, "relaxed");
    first.append(messageEvent("a"));
    first.append(messageEvent("b"));
    first.append(messageEvent("c"));
    first.close();

    const scan = scanLog(file, LOG_START, () => {});
    assertEquals(scan.end, { seq: 3, offset: fs.statSync(file).size });
    const again = EventLog.openForAppend(file, scan.end, "relaxed");
    assertEquals(again.append(messageEvent("d")).seq, 4);
    again.close();
    assertEquals(contents(readAllEvents(file)), ["a", "b", "c", "d"]);
  });
});

Deno.test("an unterminated last line is ignored on load and cut by the next openForAppend", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    const ends = writeLines(file, 3);
    const torn = '{"seq":4,"at":"2026-01-01T00:00:00.004Z","type":"mes';
    fs.appendFileSync(file, torn);

    const seen: MaosEvent[] = [];
    const scan = scanLog(file, LOG_START, (e) => seen.push(e));
    assertEquals(seqs(seen), [1, 2, 3]);
    assertEquals(scan.end, ends[2]);
    assertEquals(scan.tornBytes, torn.length);

    const log = EventLog.openForAppend(file, scan.end, "strict");
    assertEquals(fs.statSync(file).size, ends[2].offset);
    assertEquals(log.append(messageEvent("after")).seq, 4);
    log.close();
    const after = scanLog(file, LOG_START, () => {});
    assertEquals(after.tornBytes, 0);
    assertEquals(contents(readAllEvents(file)).at(-1), "after");
  });
});

Deno.test("a terminated but unparseable last line is a torn write too", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    const ends = writeLines(file, 3);
    fs.appendFileSync(file, '{"seq":4,"at":\n');
    const scan = scanLog(file, LOG_START, () => {});
    assertEquals(scan.end, ends[2]);
    assertEquals(scan.tornBytes, 15);
    // A last line that is JSON but not an event is torn as well.
    fs.truncateSync(file, ends[2].offset);
    fs.appendFileSync(file, '{"seq":4}\n');
    assertEquals(scanLog(file, LOG_START, () => {}).end, ends[2]);

    EventLog.openForAppend(file, ends[2], "relaxed").close();
    assertEquals(fs.statSync(file).size, ends[2].offset);
  });
});

Deno.test("a bad line in the middle is corruption naming file and line, and the file is left alone", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    writeLines(file, 5);
    const lines = fs.readFileSync(file, "utf8").split("\n");
    lines[1] = "this is not json";
    fs.writeFileSync(file, lines.join("\n"));
    const before = fileBytes(file);

    const err = assertMaosError(
      () => scanLog(file, LOG_START, () => {}),
      4,
      file,
      "line 2",
    );
    assertIncludes(err.hint ?? "", "maos doctor");
    assertEquals(fileBytes(file), before);
  });
});

Deno.test("a valid JSON line that is not an event, before the last line, is corruption", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    writeLines(file, 4);
    const lines = fs.readFileSync(file, "utf8").split("\n");
    lines[2] = JSON.stringify({ seq: 3, at: "x", type: "no.such.type" });
    fs.writeFileSync(file, lines.join("\n"));
    assertMaosError(() => scanLog(file, LOG_START, () => {}), 4, "line 3");
  });
});

Deno.test("a bad line followed only by a torn tail is still corruption", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    writeLines(file, 2);
    fs.appendFileSync(file, "garbage\n" + '{"seq":4');
    assertMaosError(() => scanLog(file, LOG_START, () => {}), 4, "line 3");
  });
});

Deno.test("a gap or a repeat in seq is corruption naming the line", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    fs.writeFileSync(
      file,
      messageLine(1) + messageLine(2) + messageLine(4) + messageLine(5),
    );
    assertMaosError(
      () => scanLog(file, LOG_START, () => {}),
      4,
      file,
      "line 3",
      "expected event seq 3, found 4",
    );
    fs.writeFileSync(file, messageLine(1) + messageLine(2) + messageLine(2));
    assertMaosError(() => scanLog(file, LOG_START, () => {}), 4, "line 3");
    // Even as the last line: a whole, valid event with the wrong seq is not a torn write.
    fs.writeFileSync(file, messageLine(1) + messageLine(3));
    assertMaosError(() => scanLog(file, LOG_START, () => {}), 4, "line 2");
  });
});

Deno.test("a correct logOffset hint reads only the events after it", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    const ends = writeLines(file, 10);
    // Corrupt line 2 without moving any offsets: a full scan now fails …
    const bytes = fileBytes(file);
    const lineTwo = ends[0].offset;
    bytes.fill("#".charCodeAt(0), lineTwo, lineTwo + 10);
    fs.writeFileSync(file, bytes);
    assertMaosError(() => scanLog(file, LOG_START, () => {}), 4, "line 2");

    // … but with the hint (after event 5) the bad line is never read.
    const seen: MaosEvent[] = [];
    const scan = scanLog(file, ends[4], (e) => seen.push(e));
    assertEquals(scan.hintMatched, true);
    assertEquals(seqs(seen), [6, 7, 8, 9, 10]);
    assertEquals(scan.end, ends[9]);
    // A hint at the very end replays nothing.
    const atEnd = scanLog(file, ends[9], () => assert(false, "no replay"));
    assertEquals(atEnd.hintMatched, true);
  });
});

Deno.test("a wrong hint (file rewritten with CRLF) is detected and a full scan gives the right events", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    const ends = writeLines(file, 10);
    const lf = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, lf.replaceAll("\n", "\r\n"));

    const seen: MaosEvent[] = [];
    const scan = scanLog(file, ends[4], (e) => seen.push(e));
    assertEquals(scan.hintMatched, false);
    assertEquals(seqs(seen), [6, 7, 8, 9, 10]);
    assertEquals(contents(seen), [6, 7, 8, 9, 10].map((s) => `message ${s}`));
    assertEquals(scan.end, { seq: 10, offset: fs.statSync(file).size });
    assertEquals(scan.tornBytes, 0);
  });
});

Deno.test("a hint past the end or naming another seq does not match", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    const ends = writeLines(file, 6);
    const wrongSeq = scanLog(
      file,
      { seq: 4, offset: ends[4].offset },
      () => {},
    );
    assertEquals(wrongSeq.hintMatched, false);
    assertEquals(wrongSeq.end, ends[5]);

    // The snapshot claims more events than the log holds: corruption, not a silent reset.
    assertMaosError(
      () => scanLog(file, { seq: 9, offset: ends[5].offset + 300 }, () => {}),
      4,
      "ends at event 6",
    );
  });
});

Deno.test("a missing log is empty when nothing is expected and corrupt when a snapshot expects events", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    const scan = scanLog(file, LOG_START, () => {});
    assertEquals(scan.end, LOG_START);
    assertMaosError(
      () => scanLog(file, { seq: 3, offset: 100 }, () => {}),
      4,
      file,
    );
  });
});

Deno.test("readRecentEvents returns the newest matching events, oldest first", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    writeLines(file, 30);
    const even = readRecentEvents(file, 5, (e) => e.seq % 2 === 0);
    assertEquals(seqs(even), [22, 24, 26, 28, 30]);
    assertEquals(seqs(readRecentEvents(file, 100, () => true)).length, 30);
    assertEquals(readRecentEvents(file, 0, () => true), []);
    assertEquals(
      readRecentEvents(path.join(dir, "none.jsonl"), 5, () => true),
      [],
    );
  });
});

Deno.test("readRecentEvents is right across 64 KB chunk boundaries, with lines longer than a chunk", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    // Lengths chosen so that lines straddle the 64 KB windows, some span several.
    const sizes = [10, 30_000, 70_000, 5, 65_536, 150_000, 1, 40_000, 64_000];
    const n = 60;
    writeLines(
      file,
      n,
      (seq) => `${seq}:` + "x".repeat(sizes[seq % sizes.length]),
    );
    const all = readAllEvents(file);
    for (const limit of [1, 7, 25, 59, 60, 61]) {
      const recent = readRecentEvents(file, limit, () => true);
      assertEquals(recent, all.slice(-limit), `limit ${limit}`);
    }
    const filtered = readRecentEvents(file, 4, (e) => e.seq % 9 === 6);
    assertEquals(seqs(filtered), [33, 42, 51, 60]);
  });
});

Deno.test("readRecentEvents skips a torn tail, short or longer than a chunk", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    writeLines(file, 12, (seq) => `${seq}:` + "y".repeat(seq * 9_000));
    const expected = readAllEvents(file).slice(-4);
    const clean = fileBytes(file);

    fs.appendFileSync(file, '{"seq":13,"at":"20');
    assertEquals(readRecentEvents(file, 4, () => true), expected);

    fs.writeFileSync(file, clean);
    fs.appendFileSync(file, '{"seq":13,"content":"' + "z".repeat(200_000));
    assertEquals(readRecentEvents(file, 4, () => true), expected);

    // Terminated but unparseable last line: torn as well, as scanLog says.
    fs.writeFileSync(file, clean);
    fs.appendFileSync(file, '{"seq":13,"at":\n');
    assertEquals(scanLog(file, LOG_START, () => {}).end.seq, 12);
    assertEquals(readRecentEvents(file, 4, () => true), expected);
  });
});

Deno.test("readRecentEvents reports a corrupt line it reads as corruption", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    writeLines(file, 6);
    const lines = fs.readFileSync(file, "utf8").split("\n");
    lines[3] = "not json";
    fs.writeFileSync(file, lines.join("\n"));
    assertMaosError(() => readRecentEvents(file, 10, () => true), 4, file);
    // Lines it does not need to read are not its business.
    assertEquals(seqs(readRecentEvents(file, 2, () => true)), [5, 6]);
  });
});

for (const durability of ["strict", "batched", "relaxed"] as Durability[]) {
  Deno.test(`durability '${durability}': every appended event is in the file as soon as append returns`, async () => {
    await withTempDir((dir) => {
      const file = path.join(dir, "events.jsonl");
      const log = EventLog.openForAppend(file, LOG_START, durability);
      for (let i = 1; i <= 20; i++) {
        log.append(messageEvent(`m${i}`));
        // Another reader sees it at once: the line is written, not buffered.
        assertEquals(scanLog(file, LOG_START, () => {}).end.seq, i);
      }
      log.close();
      assertEquals(seqs(readAllEvents(file)).length, 20);
      assertEquals(durability, log.durability);
    });
  });
}

Deno.test("durability 'batched' syncs by itself shortly after a burst, without close", async () => {
  await withTempDir(async (dir) => {
    const file = path.join(dir, "events.jsonl");
    const log = EventLog.openForAppend(file, LOG_START, "batched");
    // `dirty` is private: it is true between a write and its group commit.
    const pending = () => (log as unknown as { dirty: boolean }).dirty;
    for (let i = 0; i < 50; i++) log.append(messageEvent(`m${i}`));
    assertEquals(pending(), true);
    for (let waited = 0; pending() && waited < 3000; waited += 20) {
      await sleep(20);
    }
    assertEquals(pending(), false, "the group commit never ran");
    log.append(messageEvent("again"));
    assertEquals(pending(), true);
    log.close();
    assertEquals(pending(), false);
    assertEquals(readAllEvents(file).length, 51);
  });
});

Deno.test("durability 'strict' leaves nothing pending after append", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    const log = EventLog.openForAppend(file, LOG_START, "strict");
    log.append(messageEvent("one"));
    assertEquals((log as unknown as { dirty: boolean }).dirty, false);
    log.close();
  });
});

Deno.test("append after close is refused", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    const log = EventLog.openForAppend(file, LOG_START, "relaxed");
    log.close();
    let threw = false;
    try {
      log.append(messageEvent("late"));
    } catch {
      threw = true;
    }
    assert(threw);
    assertEquals(fs.statSync(file).size, 0);
  });
});

Deno.test({
  name:
    "appending on a full disk is one clear MaosError, leaves no partial line, and the log goes on once there is space",
  ignore: ignoredBecause(tinyDiskProbe),
  fn: () => {
    const disk = mountTinyDisk();
    try {
      const file = path.join(disk.dir, "events.jsonl");
      const log = EventLog.openForAppend(file, LOG_START, "strict");
      log.append(messageEvent("before"));
      const size = fs.statSync(file).size;
      // Two blocks left: part of the next line is written, then ENOSPC.
      const filler = fillDisk(disk.dir, 8192);
      assertMaosError(
        () => log.append(messageEvent("x".repeat(64_000))),
        1,
        `disk full while writing ${file}`,
      );
      assertEquals(fs.statSync(file).size, size);
      assertEquals(log.end, { seq: 1, offset: size });
      assertEquals(scanLog(file, LOG_START, () => {}).tornBytes, 0);
      fs.rmSync(filler);
      assertEquals(log.append(messageEvent("after")).seq, 2);
      log.close();
      assertEquals(contents(readAllEvents(file)), ["before", "after"]);
    } finally {
      disk.release();
    }
  },
});

Deno.test("logEndsAt: true only at the end of the last whole line", async () => {
  await withTempDir((dir) => {
    const file = path.join(dir, "events.jsonl");
    assertEquals(logEndsAt(file, 10), false, "no log");
    const ends = writeLines(file, 3);
    assertEquals(logEndsAt(file, ends[2].offset), true);
    assertEquals(
      logEndsAt(file, ends[1].offset),
      false,
      "the log grew past it",
    );
    assertEquals(logEndsAt(file, ends[2].offset - 1), false, "mid-line");
    assertEquals(logEndsAt(file, ends[2].offset + 1), false, "past the end");
    assertEquals(logEndsAt(file, 0), false);
    fs.appendFileSync(file, '{"seq":4');
    assertEquals(logEndsAt(file, ends[2].offset), false, "a torn tail");
    return Promise.resolve();
  });
});

Deno.test("a sync while a background group commit runs still leaves everything durable, and close works", async () => {
  await withTempDir(async (dir) => {
    const file = path.join(dir, "events.jsonl");
    const log = EventLog.openForAppend(file, LOG_START, "batched");
    log.append(messageEvent("one"));
    const background = log.syncAsync();
    log.append(messageEvent("two"));
    const second = log.syncAsync();
    // Nothing appended since: waits for the one under way.
    const third = log.syncAsync();
    await Promise.all([background, second, third]);
    log.append(messageEvent("three"));
    void log.syncAsync();
    log.close();
    assertEquals(contents(readAllEvents(file)), ["one", "two", "three"]);
  });
});
