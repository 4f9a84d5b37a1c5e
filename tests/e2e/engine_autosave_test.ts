/**
 * Auto-save under a flood of messages, through the real CLI: a shell agent
 * prints thousands of `::maos::` lines as fast as it can, and every snapshot
 * maos writes (each through its own temp file) is counted by watching the
 * orchestration's folder.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assert,
  assertEquals,
  maosOk,
  readEvents,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";

const MESSAGES = 3000;
const ID = "5a7e5a7e5a7e";
/** A snapshot's temp file: `.state.json.<pid>.<random>.tmp`. */
const SNAPSHOT_TEMP = /\.state\.json\.\d+\.[0-9a-f]+\.tmp$/;

Deno.test("3,000 messages in a burst cost a few snapshots, not one per message", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "chatty-001", role: "chatty" }],
      tasks: [{
        id: "flood",
        agent: "chatty-001",
        title: "Say a lot",
        run:
          `awk 'BEGIN { for (i = 0; i < ${MESSAGES}; i++) print "::maos::info:: note " i }'`,
      }],
    });
    await maosOk(["init"], { cwd: dir });
    // The orchestration's folder exists (under a preset id) before maos
    // starts, so the watch sees every snapshot from the first.
    const folder = path.join(dir, ".maos", "orchestrations", ID);
    fs.mkdirSync(folder);
    const watcher = Deno.watchFs(folder, { recursive: false });
    const temps = new Set<string>();
    const watching = (async () => {
      for await (const event of watcher) {
        for (const p of event.paths) {
          if (SNAPSHOT_TEMP.test(p)) temps.add(path.basename(p));
        }
      }
    })();
    try {
      await maosOk(["orchestrate", "Flood", "--plan", plan, "--quiet"], {
        cwd: dir,
        env: { MAOS_NEW_ORCHESTRATION_ID: ID },
      });
      // Let the last events of the watch arrive.
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      watcher.close();
      await watching;
    }
    const messages = readEvents(dir, ID).filter((e) => e.type === "message");
    assertEquals(messages.length, MESSAGES);
    // Saves come at most every 100 ms however many triggers: a run needs
    // to take 15 s to reach this bound; one snapshot per message was 3,000.
    assert(temps.size >= 2, `saw ${temps.size} snapshots: is the watch blind?`);
    assert(
      temps.size <= MESSAGES / 1000 * 50,
      `${temps.size} snapshots for ${MESSAGES} messages`,
    );
  });
});
