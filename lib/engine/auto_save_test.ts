import { setImmediate } from "node:timers";
import { readSnapshot } from "../../store/journal.ts";
import { Journal } from "../../store/journal.ts";
import {
  assert,
  assertEquals,
  createdEvent,
  messageEvent,
} from "../../store/_test_util.ts";
import { withMaos } from "../recovery/_checkpoint_test_util.ts";
import { AutoSaver, SAVE_EVERY_MESSAGES } from "./auto_save.ts";
import { foldEvent } from "../queries/state_fold.ts";

const ID = "a0a0a0a0a0a0";

async function withSaver(
  fn: (journal: Journal, saver: AutoSaver, errors: unknown[]) => Promise<void>,
): Promise<void> {
  await withMaos(async (paths) => {
    const journal = await Journal.create(
      paths,
      ID,
      createdEvent(ID),
      foldEvent,
      "batched",
      "test",
    );
    const errors: unknown[] = [];
    const saver = new AutoSaver(journal, 30, (err) => errors.push(err));
    saver.start();
    try {
      await fn(journal, saver, errors);
    } finally {
      saver.stop();
      await journal.close();
    }
  });
}

/** Append a message and count it, as the engine does for each one. */
function message(journal: Journal, saver: AutoSaver, n: number): void {
  journal.append(messageEvent(`message ${n}`));
  saver.message("info");
}

Deno.test("a burst of 1,000 messages asks for 100 saves and gets one snapshot, taken after the last", async () => {
  await withSaver(async (journal, saver, errors) => {
    for (let n = 0; n < 1000; n++) message(journal, saver, n);
    await saver.save();
    assertEquals(saver.requests, 1000 / SAVE_EVERY_MESSAGES + 1);
    assertEquals(saver.saves, 1);
    assertEquals(errors, []);
    const snapshot = readSnapshot(journal.paths, ID)!;
    assertEquals(snapshot.state.messages, 1000);
    assertEquals(snapshot.state.lastSeq, journal.lastSeq);
  });
});

Deno.test("messages arriving over many turns of the event loop never get a snapshot each", async () => {
  await withSaver(async (journal, saver) => {
    for (let n = 0; n < 1000; n++) {
      message(journal, saver, n);
      // Each message in its own turn: as slow agents deliver them.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await saver.save();
    // At most one per tenth message, and in practice one per 100 ms.
    assert(
      saver.saves <= 1000 / SAVE_EVERY_MESSAGES,
      `${saver.saves} snapshots for 1,000 messages`,
    );
    assertEquals(readSnapshot(journal.paths, ID)!.state.messages, 1000);
  });
});

Deno.test("saves asked for while one waits join it; each caller sees a snapshot taken after its call", async () => {
  await withSaver(async (journal, saver) => {
    journal.append(messageEvent("one"));
    const first = saver.save();
    const second = saver.save();
    journal.append(messageEvent("two"));
    const third = saver.save();
    await Promise.all([first, second, third]);
    assertEquals(saver.saves, 1);
    assertEquals(readSnapshot(journal.paths, ID)!.state.messages, 2);
    // Nothing new: nothing written.
    await saver.save();
    assertEquals(saver.saves, 1);
  });
});

Deno.test("a discovery asks for a save at once; stop() drops one still waiting", async () => {
  await withSaver(async (journal, saver) => {
    journal.append(messageEvent("found it"));
    saver.message("discovery");
    assertEquals(saver.requests, 1);
    saver.stop();
    // Past the moment the dropped save would have run (closing the journal snapshots).
    await new Promise((resolve) => setTimeout(resolve, 20));
    assertEquals(saver.saves, 0);
    assert(journal.dirty);
  });
});
