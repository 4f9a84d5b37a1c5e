import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { initMaosDir } from "./config.ts";
import { type DoctorReport, runDoctor } from "./doctor.ts";
import { newId } from "./ids.ts";
import { Journal, loadOrchestration, readSnapshot } from "./journal.ts";
import { MaosPaths } from "./paths.ts";
import { foldEvent } from "../lib/queries/state_fold.ts";
import {
  assert,
  assertEquals,
  assertIncludes,
  createdEvent,
  deadPid,
  fileBytes,
  foldLog,
  messageEvent,
  withTempDir,
} from "./_test_util.ts";

/** A .maos with one closed orchestration of a few events. */
async function store(dir: string): Promise<{ paths: MaosPaths; id: string }> {
  const root = path.join(dir, ".maos");
  await initMaosDir(root);
  const paths = new MaosPaths(root);
  const id = newId();
  const journal = await Journal.create(
    paths,
    id,
    createdEvent(id),
    foldEvent,
    "strict",
    "test",
  );
  journal.append({ type: "orchestration.started" });
  for (let i = 0; i < 5; i++) journal.append(messageEvent(`m${i}`));
  await journal.close();
  return { paths, id };
}

const errors = (r: DoctorReport) =>
  r.findings.filter((f) => f.level === "error");
const warnings = (r: DoctorReport) =>
  r.findings.filter((f) => f.level === "warning");
const describe = (r: DoctorReport) => JSON.stringify(r.findings, null, 1);

Deno.test("doctor finds nothing wrong in a clean store", async () => {
  await withTempDir(async (dir) => {
    const { paths, id } = await store(dir);
    const report = await runDoctor(paths, foldEvent, false);
    assertEquals(errors(report), [], describe(report));
    assertEquals(warnings(report), [], describe(report));
    assertEquals(report.unresolved, 0);
    assert(
      report.findings.some((f) =>
        f.file === `.maos/orchestrations/${id}/events.jsonl` &&
        f.message.includes("7 events")
      ),
      describe(report),
    );
    // Repair on a clean store changes nothing.
    const before = fileBytes(paths.state(id));
    await runDoctor(paths, foldEvent, true);
    assertEquals(fileBytes(paths.state(id)), before);
  });
});

Deno.test("a torn tail is a warning and repair cuts it", async () => {
  await withTempDir(async (dir) => {
    const { paths, id } = await store(dir);
    const clean = fileBytes(paths.events(id));
    fs.appendFileSync(paths.events(id), '{"seq":8,"at":"2026');

    const check = await runDoctor(paths, foldEvent, false);
    assertEquals(errors(check), [], describe(check));
    assertEquals(warnings(check).length, 1, describe(check));
    assertIncludes(warnings(check)[0].message, "torn last line (19 bytes)");
    assertEquals(fileBytes(paths.events(id)).length, clean.length + 19);

    const repair = await runDoctor(paths, foldEvent, true);
    assertEquals(warnings(repair)[0].repaired, true);
    assertEquals(repair.unresolved, 0);
    assertEquals(fileBytes(paths.events(id)), clean);
    assertEquals(warnings(await runDoctor(paths, foldEvent, false)), []);
  });
});

for (
  const [what, damage] of [
    ["not JSON", (file: string) => fs.writeFileSync(file, "{ half")],
    ["disagreeing with the log", (file: string) => {
      const snapshot = JSON.parse(fs.readFileSync(file, "utf8"));
      snapshot.state.messages = 99;
      snapshot.state.request = "something else";
      fs.writeFileSync(file, JSON.stringify(snapshot));
    }],
    ["ahead of the log", (file: string) => {
      const snapshot = JSON.parse(fs.readFileSync(file, "utf8"));
      snapshot.state.lastSeq = 50;
      fs.writeFileSync(file, JSON.stringify(snapshot));
    }],
  ] as const
) {
  Deno.test(`a state.json ${what} is an error that repair rebuilds from the log`, async () => {
    await withTempDir(async (dir) => {
      const { paths, id } = await store(dir);
      const events = fileBytes(paths.events(id));
      damage(paths.state(id));

      const check = await runDoctor(paths, foldEvent, false);
      assertEquals(errors(check).length, 1, describe(check));
      assertEquals(
        errors(check)[0].file,
        `.maos/orchestrations/${id}/state.json`,
      );
      assertEquals(check.unresolved, 1);

      const repair = await runDoctor(paths, foldEvent, true);
      assertEquals(errors(repair)[0].repaired, true, describe(repair));
      assertEquals(repair.unresolved, 0);
      const snapshot = readSnapshot(paths, id)!;
      assertEquals(snapshot.state, foldLog(paths.events(id)));
      assertEquals(snapshot.logOffset, events.length);
      assertEquals(fileBytes(paths.events(id)), events);
      assertEquals(loadOrchestration(paths, id, foldEvent).hintMatched, true);
      assertEquals(errors(await runDoctor(paths, foldEvent, false)), []);
    });
  });
}

Deno.test("a missing state.json (a crash right after the first event) is a warning that repair rebuilds", async () => {
  await withTempDir(async (dir) => {
    const { paths, id } = await store(dir);
    fs.rmSync(paths.state(id));
    const check = await runDoctor(paths, foldEvent, false);
    assertEquals(errors(check), [], describe(check));
    assertEquals(warnings(check).map((w) => w.file), [
      `.maos/orchestrations/${id}/state.json`,
    ]);
    const repair = await runDoctor(paths, foldEvent, true);
    assertEquals(warnings(repair)[0].repaired, true, describe(repair));
    assertEquals(readSnapshot(paths, id)!.state, foldLog(paths.events(id)));
  });
});

Deno.test("a corrupt middle line is an error that repair leaves alone, file unchanged", async () => {
  await withTempDir(async (dir) => {
    const { paths, id } = await store(dir);
    const lines = fs.readFileSync(paths.events(id), "utf8").split("\n");
    lines[3] = lines[3].replace('"seq":4', '"seq":"four"');
    fs.writeFileSync(paths.events(id), lines.join("\n"));
    const events = fileBytes(paths.events(id));
    const state = fileBytes(paths.state(id));

    for (const repair of [false, true]) {
      const report = await runDoctor(paths, foldEvent, repair);
      assertEquals(errors(report).length, 1, describe(report));
      assertIncludes(errors(report)[0].message, "line 4");
      assertIncludes(errors(report)[0].message, "not repaired");
      assertEquals(errors(report)[0].repaired, undefined);
      assertEquals(report.unresolved, 1);
      assertEquals(fileBytes(paths.events(id)), events);
      assertEquals(fileBytes(paths.state(id)), state);
    }
  });
});

Deno.test("a seq gap is an error that repair leaves alone", async () => {
  await withTempDir(async (dir) => {
    const { paths, id } = await store(dir);
    const lines = fs.readFileSync(paths.events(id), "utf8").split("\n");
    lines.splice(2, 1);
    fs.writeFileSync(paths.events(id), lines.join("\n"));
    const events = fileBytes(paths.events(id));
    const report = await runDoctor(paths, foldEvent, true);
    assertIncludes(errors(report)[0]?.message ?? "", "expected event seq 3");
    assertEquals(report.unresolved, 1);
    assertEquals(fileBytes(paths.events(id)), events);
  });
});

Deno.test("a stale lock is a warning and repair removes it", async () => {
  await withTempDir(async (dir) => {
    const { paths, id } = await store(dir);
    const now = new Date().toISOString();
    fs.writeFileSync(
      paths.lock(id),
      JSON.stringify({
        formatVersion: 1,
        pid: await deadPid(),
        host: os.hostname(),
        processStart: null,
        acquiredAt: now,
        heartbeatAt: now,
        command: "maos orchestrate",
      }),
    );
    const check = await runDoctor(paths, foldEvent, false);
    assertEquals(warnings(check).length, 1, describe(check));
    assertIncludes(warnings(check)[0].message, "stale lock");
    assert(fs.existsSync(paths.lock(id)));

    const repair = await runDoctor(paths, foldEvent, true);
    assertEquals(warnings(repair)[0].repaired, true);
    assert(!fs.existsSync(paths.lock(id)));
  });
});

Deno.test("repair does not touch an orchestration a live process is driving", async () => {
  await withTempDir(async (dir) => {
    const { paths, id } = await store(dir);
    const journal = Journal.open(paths, id, foldEvent, "strict", "driver");
    try {
      fs.appendFileSync(paths.events(id), '{"seq":8,"at');
      fs.rmSync(paths.state(id));
      const events = fileBytes(paths.events(id));
      const report = await runDoctor(paths, foldEvent, true);
      assert(report.findings.every((f) => !f.repaired), describe(report));
      assertEquals(fileBytes(paths.events(id)), events);
      assert(!fs.existsSync(paths.state(id)));
      assert(fs.existsSync(paths.lock(id)));
    } finally {
      await journal.close();
    }
  });
});

Deno.test("a corrupt maos.json or checkpoint is an error naming the file", async () => {
  await withTempDir(async (dir) => {
    const { paths } = await store(dir);
    fs.writeFileSync(paths.config, '{"formatVersion": 7}');
    fs.writeFileSync(path.join(paths.checkpoints, "aaaaaaaaaaaa.json"), "[]");
    const report = await runDoctor(paths, foldEvent, true);
    assertEquals(
      errors(report).map((f) => f.file).sort(),
      [".maos/checkpoints/aaaaaaaaaaaa.json", ".maos/maos.json"],
      describe(report),
    );
    assertEquals(report.unresolved, 2);
    assertEquals(fs.readFileSync(paths.config, "utf8"), '{"formatVersion": 7}');
  });
});

Deno.test("doctor --repair brings a state.json left behind the log by a crash up to date", async () => {
  await withTempDir(async (dir) => {
    const { paths, id } = await store(dir);
    const stale = readSnapshot(paths, id)!;
    // Events appended after the last save, then the process died.
    const journal = Journal.open(paths, id, foldEvent, "strict", "test");
    journal.append(messageEvent("late"));
    await journal.close();
    fs.writeFileSync(paths.state(id), JSON.stringify(stale, null, 2) + "\n");

    const check = await runDoctor(paths, foldEvent, false);
    assertEquals(errors(check), [], describe(check));
    assertEquals(readSnapshot(paths, id)!.state.lastSeq, stale.state.lastSeq);

    const repaired = await runDoctor(paths, foldEvent, true);
    assertEquals(repaired.unresolved, 0, describe(repaired));
    assertEquals(
      readSnapshot(paths, id)!.state,
      loadOrchestration(paths, id, foldEvent, null).state,
    );
  });
});

Deno.test("an orchestration killed before its first event is a warning; repair removes the empty folder", async () => {
  await withTempDir(async (dir) => {
    const { paths } = await store(dir);
    const cut = "0123456789ab";
    fs.mkdirSync(paths.agentsDir(cut), { recursive: true });
    fs.writeFileSync(paths.events(cut), "");
    const check = await runDoctor(paths, foldEvent, false);
    assertEquals(errors(check), [], describe(check));
    assertEquals(warnings(check).length, 1, describe(check));
    const repair = await runDoctor(paths, foldEvent, true);
    assertEquals(repair.unresolved, 0, describe(repair));
    assertEquals(fs.existsSync(paths.orchestration(cut)), false);
  });
});
