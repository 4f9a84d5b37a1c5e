/**
 * Helpers shared by the checkpoint and restore tests of lib/engine (not part
 * of the program).
 */
import * as fs from "node:fs";
import { readCheckpoint, writeCheckpoint } from "../../store/checkpoints.ts";
import { readSnapshot } from "../../store/journal.ts";
import { toJsonText } from "../../store/json_file.ts";
import type { MaosPaths } from "../../store/paths.ts";
import { assert, assertEquals, foldLog } from "../../store/_test_util.ts";
import { removeTemp, tempMaos } from "../../tests/fixtures/recovery_fixture.ts";

/** Run `fn` on a fresh `.maos/` in a temp dir, removed afterwards. */
export async function withMaos(fn: (paths: MaosPaths) => Promise<void>) {
  const paths = await tempMaos();
  try {
    await fn(paths);
  } finally {
    await removeTemp(paths);
  }
}

/** Task id → status, from state.json. */
export function statuses(
  paths: MaosPaths,
  id: string,
): Record<string, string> {
  const state = readSnapshot(paths, id)!.state;
  return Object.fromEntries(state.tasks.map((t) => [t.id, t.status]));
}

/** state.json must equal the fold of the whole log, key order included (what doctor checks). */
export function assertSnapshotIsFold(paths: MaosPaths, id: string): void {
  assertEquals(
    toJsonText(readSnapshot(paths, id)!.state),
    toJsonText(foldLog(paths.events(id))),
  );
}

/** A checkpoint of `id` dated `daysAgo` days back. */
export async function oldCheckpoint(
  paths: MaosPaths,
  id: string,
  name: string,
  daysAgo: number,
  auto = false,
): Promise<string> {
  const state = readSnapshot(paths, id)!.state;
  const cp = await writeCheckpoint(paths, { name, auto, states: [state] });
  const file = readCheckpoint(paths, cp.id);
  file.createdAt = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  fs.writeFileSync(paths.checkpoint(cp.id), toJsonText(file));
  return cp.id;
}

/** One level of parentheses at most: "(… (…) …)" reads badly in one line. */
export function assertNoNestedParens(text: string): void {
  let depth = 0;
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    assert(depth <= 1, `nested parentheses in: ${text}`);
  }
}
