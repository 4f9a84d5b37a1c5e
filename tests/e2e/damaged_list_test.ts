/**
 * One damaged orchestration stays one: `orchestration list` shows it as
 * damaged with the doctor hint and lists the others; commands about it
 * still exit 4. Real stores, the real maos.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { runMaosExpect } from "./run_maos.ts";
import { addOrchestration, tempProject } from "./_store_fixture.ts";

Deno.test("a corrupt line in one log: list shows it damaged with the doctor hint and lists the others; status and message list of it exit 4", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    const good = await addOrchestration(paths, {
      request: "The healthy one",
      end: "completed",
    });
    const bad = await addOrchestration(paths, {
      request: "The broken one",
      end: "paused",
    });
    // A bad line in the middle of the log, past what state.json covers.
    const log = paths.events(bad);
    const lines = fs.readFileSync(log, "utf8").split("\n");
    lines.splice(2, 0, "{not json");
    fs.writeFileSync(log, lines.join("\n"));

    const list = await runMaosExpect(0, ["orchestration", "list"], {
      cwd: dir,
    });
    assert.match(list.stdout, new RegExp(`${good.slice(0, 8)}.*completed`));
    assert.match(list.stdout, new RegExp(`${bad.slice(0, 8)}.*💥 damaged`));
    assert.match(
      list.stderr,
      new RegExp(
        `orchestration ${
          bad.slice(0, 8)
        } is damaged: .*events\\.jsonl.*line 3.*see: maos doctor`,
      ),
    );

    const json = await runMaosExpect(0, [
      "--json",
      "orchestration",
      "list",
    ], { cwd: dir });
    const rows = json.json<
      { id: string; status: string; damage?: string; hint?: string }[]
    >();
    assert.deepEqual(
      rows.map((r) => [r.id, r.status]).sort(),
      [[bad, "damaged"], [good, "completed"]].sort(),
    );
    const damaged = rows.find((r) => r.id === bad)!;
    assert.match(damaged.damage ?? "", /line 3/);
    assert.match(damaged.hint ?? "", /maos doctor/);

    const only = await runMaosExpect(0, [
      "--json",
      "orchestration",
      "list",
      "--status",
      "damaged",
    ], { cwd: dir });
    assert.deepEqual(only.json<{ id: string }[]>().map((r) => r.id), [bad]);

    await runMaosExpect(4, ["orchestration", "status", bad.slice(0, 8)], {
      cwd: dir,
    });
    await runMaosExpect(4, ["message", "list", bad.slice(0, 8)], { cwd: dir });
    await runMaosExpect(0, ["orchestration", "status", good.slice(0, 8)], {
      cwd: dir,
    });
  } finally {
    await cleanup();
  }
});
