import * as fs from "node:fs";
import * as os from "node:os";
import { toJsonText } from "../../store/json_file.ts";
import { assert, assertEquals } from "../../store/_test_util.ts";
import { makeOrchestration } from "../../tests/fixtures/recovery_fixture.ts";
import {
  assertNoNestedParens,
  withMaos,
} from "../recovery/_checkpoint_test_util.ts";
import { runningElsewhereError } from "./running_elsewhere.ts";

function writeLock(path: string, host: string, pid: number): void {
  const now = new Date().toISOString();
  fs.writeFileSync(
    path,
    toJsonText({
      formatVersion: 1,
      pid,
      host,
      processStart: null,
      acquiredAt: now,
      heartbeatAt: now,
      command: "maos orchestrate",
    }),
  );
}

Deno.test("a lock held on another host names it once and does not suggest Ctrl-C here", async () => {
  await withMaos(async (paths) => {
    const id = await makeOrchestration(paths);
    writeLock(paths.lock(id), "build-server-7", 4242);
    const err = runningElsewhereError(
      paths,
      id,
      "it cannot be rewound now",
      "restore a copy with --fork",
    );
    assertEquals(err.code, 3);
    assertEquals(
      err.message,
      `orchestration ${id.slice(0, 8)} is running in another process ` +
        "(pid 4242 on build-server-7, command: maos orchestrate), " +
        "so it cannot be rewound now",
    );
    assertNoNestedParens(err.message);
    assertEquals(
      err.hint,
      "it runs on build-server-7: pause it there first, or restore a copy with --fork",
    );
  });
});

Deno.test("a lock held on this host suggests pausing it here", async () => {
  await withMaos(async (paths) => {
    const id = await makeOrchestration(paths);
    writeLock(paths.lock(id), os.hostname(), Deno.pid);
    const err = runningElsewhereError(paths, id, "x", "y");
    assert(err.message.includes(`pid ${Deno.pid} on ${os.hostname()}`));
    assert(err.hint?.includes(`kill -INT ${Deno.pid}`), err.hint);
    assert(!err.hint?.includes("runs on"), err.hint);
  });
});
