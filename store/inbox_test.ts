import * as fs from "node:fs";
import * as path from "node:path";
import {
  appendInbox,
  INBOX_LINE_LIMIT,
  readInbox,
  readInboxSkipped,
} from "./inbox.ts";
import { newId } from "./ids.ts";
import { MaosPaths } from "./paths.ts";
import type { InboxLine, InboxMessageLine } from "./schema.ts";
import { ensureDir } from "./atomic_write.ts";
import {
  assert,
  assertEquals,
  FIXTURES,
  REPO,
  withTempDir,
} from "./_test_util.ts";

function setup(dir: string): { paths: MaosPaths; id: string } {
  const paths = new MaosPaths(path.join(dir, ".maos"));
  const id = newId();
  ensureDir(paths.orchestration(id));
  return { paths, id };
}

const contentOf = (m: InboxLine) =>
  m.kind === "progress" || m.kind === "checkpoint" ? "" : m.content;

const message = (content: string): InboxLine => ({
  at: new Date().toISOString(),
  from: "developer-001",
  to: "analyst-001",
  kind: "request",
  content,
});

Deno.test("concurrent appends from 4 processes keep every line whole, each exactly once", async () => {
  await withTempDir(async (dir) => {
    const { paths, id } = setup(dir);
    const writers = 4;
    const count = 200;
    // Far enough ahead that all four have started even on a loaded machine
    // (the full suite runs real agent CLIs in parallel).
    const startAt = Date.now() + 3000;
    const outputs = await Promise.all(
      Array.from(
        { length: writers },
        (_, w) =>
          new Deno.Command(Deno.execPath(), {
            args: [
              "run",
              "-A",
              FIXTURES + "store_inbox_writer.ts",
              paths.root,
              id,
              `${w}`,
              `${count}`,
              `${startAt}`,
            ],
            cwd: REPO,
            stdout: "piped",
            stderr: "piped",
          }).output(),
      ),
    );
    const windows = outputs.map((out) => {
      assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
      const [, first, last] = new TextDecoder().decode(out.stdout).split(" ");
      return [Number(first), Number(last)];
    });
    // The writers really wrote at the same time.
    assert(
      Math.max(...windows.map(([first]) => first)) <
        Math.min(...windows.map(([, last]) => last)),
      `no overlap: ${JSON.stringify(windows)}`,
    );

    const text = fs.readFileSync(paths.inbox(id), "utf8");
    assert(text.endsWith("\n"), "the file ends with a newline");
    // Each line is written as "\n" + JSON: blank separators are not messages.
    const lines = text.split("\n").filter((line) => line !== "");
    assertEquals(lines.length, writers * count);
    const seen = new Map<string, number>();
    for (const line of lines) {
      assert(new TextEncoder().encode(line).length <= INBOX_LINE_LIMIT);
      const parsed = JSON.parse(line); // throws on an interleaved line
      const [writer, i, pad] = parsed.content.split(":");
      assertEquals(pad.length, (Number(i) * 397) % 3400);
      assertEquals(parsed.from, `writer-${writer}`);
      const key = `${writer}:${i}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    assertEquals(seen.size, writers * count);
    assert([...seen.values()].every((n) => n === 1));

    const { entries, skipped } = readInbox(paths, id, 0);
    assertEquals(skipped, 0);
    assertEquals(entries.length, writers * count);
    assertEquals(entries.at(-1)!.end, fs.statSync(paths.inbox(id)).size);
    // Each writer's own lines stay in its order.
    for (let w = 0; w < writers; w++) {
      const mine = entries.map((e) => contentOf(e.message).split(":"))
        .filter(([writer]) => writer === `${w}`)
        .map(([, i]) => Number(i));
      assertEquals(mine, Array.from({ length: count }, (_, i) => i));
    }
  });
});

Deno.test("a half-written line left by a failed append does not swallow the next message", async () => {
  await withTempDir((dir) => {
    const { paths, id } = setup(dir);
    appendInbox(paths, id, message("before"));
    // What a write cut short by a full disk leaves: part of a line, no newline.
    fs.appendFileSync(
      paths.inbox(id),
      '\n{"at":"2026-01-01T00:00:00.000Z","from":"a',
    );
    appendInbox(paths, id, message("after"));
    const { entries, skipped } = readInbox(paths, id, 0);
    assertEquals(entries.map((e) => contentOf(e.message)), ["before", "after"]);
    assertEquals(skipped, 1);
  });
});

Deno.test("a long message goes to an attachment file and readInbox returns all of it", async () => {
  await withTempDir((dir) => {
    const { paths, id } = setup(dir);
    const long = "Long discovery — ünïcödé ✓ ".repeat(2000);
    appendInbox(paths, id, message("short one"));
    appendInbox(paths, id, message(long));

    const raw = fs.readFileSync(paths.inbox(id), "utf8").split("\n")
      .filter((line) => line !== "");
    assertEquals(raw.length, 2);
    assert(new TextEncoder().encode(raw[1]).length <= INBOX_LINE_LIMIT);
    const line = JSON.parse(raw[1]);
    assert(
      /^attachments\/[0-9a-f]{12}\.txt$/.test(line.contentFile),
      line.contentFile,
    );
    assertEquals(
      fs.readFileSync(
        path.join(paths.orchestration(id), line.contentFile),
        "utf8",
      ),
      long,
    );

    const { entries } = readInbox(paths, id, 0, 1024 * 1024);
    assertEquals(entries.map((e) => contentOf(e.message)), ["short one", long]);
    assertEquals((entries[1].message as InboxMessageLine).to, "analyst-001");
    // Above maxInlineBytes it stays a file: the line names it and its size.
    const kept = readInbox(paths, id, 0, 1000).entries[1]
      .message as InboxMessageLine;
    assertEquals(kept.contentFile, line.contentFile);
    assertEquals(kept.contentBytes, new TextEncoder().encode(long).length);
    assert(kept.content.length < 300);
  });
});

Deno.test("readInbox starts at an offset, leaves a line still being written, and skips bad lines", async () => {
  await withTempDir((dir) => {
    const { paths, id } = setup(dir);
    assertEquals(readInbox(paths, id, 0), { entries: [], skipped: 0 });
    appendInbox(paths, id, message("one"));
    appendInbox(paths, id, message("two"));
    const first = readInbox(paths, id, 0);
    assertEquals(first.entries.map((e) => contentOf(e.message)), [
      "one",
      "two",
    ]);

    fs.appendFileSync(paths.inbox(id), "not json\n");
    appendInbox(paths, id, message("three"));
    fs.appendFileSync(paths.inbox(id), '{"at":"2026-01-01T00:00:00Z","fr');
    const next = readInbox(paths, id, first.entries[1].end);
    assertEquals(next.entries.map((e) => contentOf(e.message)), ["three"]);
    assertEquals(next.skipped, 1);
    assertEquals(readInboxSkipped(paths, id), 1);

    // Nothing new past the last whole line.
    assertEquals(readInbox(paths, id, next.entries[0].end).entries, []);
  });
});

Deno.test("an attachment path that points outside attachments/ is not followed", async () => {
  await withTempDir((dir) => {
    const { paths, id } = setup(dir);
    fs.writeFileSync(
      path.join(paths.orchestration(id), "secret.txt"),
      "secret",
    );
    fs.appendFileSync(
      paths.inbox(id),
      JSON.stringify({
        ...message("preview"),
        contentFile: "../" + id + "/secret.txt",
      }) + "\n",
    );
    assertEquals(
      contentOf(readInbox(paths, id, 0).entries[0].message),
      "preview",
    );
  });
});

Deno.test("progress lines and message lines share the inbox; a message line of the first format still reads", async () => {
  await withTempDir((dir) => {
    const { paths, id } = setup(dir);
    // Written by a maos from before progress lines existed.
    fs.writeFileSync(
      paths.inbox(id),
      '\n{"at":"2026-01-01T00:00:00.000Z","from":"a-001","to":null,"kind":"info","content":"old"}\n',
    );
    appendInbox(paths, id, {
      at: new Date().toISOString(),
      from: "a-001",
      kind: "progress",
      task: "t1",
      percent: 40,
      note: "n".repeat(INBOX_LINE_LIMIT + 10),
    });
    const { entries, skipped } = readInbox(paths, id, 0);
    assertEquals(skipped, 0);
    assertEquals(entries.map((e) => e.message.kind), ["info", "progress"]);
    const progress = entries[1].message;
    assert(progress.kind === "progress");
    assertEquals([progress.task, progress.percent], ["t1", 40]);
    // A long note is cut so the line stays one atomic write.
    assertEquals(progress.note?.length, 500);
  });
});
