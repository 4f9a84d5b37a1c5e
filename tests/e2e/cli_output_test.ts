/**
 * What people see of text that agents write: escape codes made harmless,
 * long messages cut on the console (whole in --json), --quiet results, and
 * doctor lines that name their file once. Real runs of real shell agents.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { childEnv, maosCommand, runMaosExpect } from "./run_maos.ts";
import { tempProject } from "./_store_fixture.ts";

// What a terminal would act on: C0 but tab and newline, DEL, C1.
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

function writePlan(dir: string, run: string, title = "Print things"): string {
  const file = path.join(dir, "plan.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      agents: [{ id: "worker-001", role: "worker" }],
      tasks: [{ id: "work", agent: "worker-001", title, run }],
    }),
  );
  return file;
}

function assertPrintable(text: string, what: string): void {
  assert.ok(!CONTROL.test(text), `${what}: ${JSON.stringify(text)}`);
}

Deno.test("escape codes in agent output, messages and titles reach no screen: run, message list, status, list, agents", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    const plan = writePlan(
      dir,
      String.raw`printf 'out \033[31mred\033[0m\n'; ` +
        String.raw`printf '::maos::info:: \033]0;pwned\007 title\n'`,
      "Print \x1b[1mbold\x1b[0m things",
    );
    const run = await runMaosExpect(0, [
      "--no-color",
      "orchestrate",
      "Say \x1b]0;pwned\x07 hello",
      "--plan",
      plan,
    ], { cwd: dir });
    assertPrintable(run.stdout + run.stderr, "orchestrate");
    assert.match(run.stdout, /^\[worker-001\] out red$/m);
    assert.match(run.stdout, /\[worker-001 → all\] {2}title$/m);
    assert.match(run.stdout, /started: Print bold things$/m);

    for (
      const args of [
        ["message", "list"],
        ["orchestration", "status", "--messages"],
        ["orchestration", "status"],
        ["orchestration", "list"],
        ["agent", "list"],
      ]
    ) {
      const shown = await runMaosExpect(0, args, { cwd: dir });
      assertPrintable(shown.stdout + shown.stderr, args.join(" "));
    }
    // --json keeps the text as it was (JSON escapes it).
    const json = await runMaosExpect(0, ["--json", "message", "list"], {
      cwd: dir,
    });
    assert.equal(
      json.json<{ content: string }[]>()[0].content,
      "\x1b]0;pwned\x07 title",
    );
  } finally {
    await cleanup();
  }
});

Deno.test("a 6000-character message is cut on the console and whole in --json", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    const plan = writePlan(
      dir,
      `printf '::maos::discovery:: %s\\n' "$(printf 'x%.0s' $(seq 6000))"`,
    );
    const run = await runMaosExpect(
      0,
      ["orchestrate", "Long", "--plan", plan],
      {
        cwd: dir,
      },
    );
    const cut =
      /\] x{300}… \(5700 more characters; see: maos message list [0-9a-f]{8} --json\)$/m;
    assert.match(run.stdout, cut);
    assert.ok(run.stdout.length < 2000, `printed ${run.stdout.length} chars`);
    const list = await runMaosExpect(0, ["message", "list"], { cwd: dir });
    assert.match(list.stdout, cut);
    const json = await runMaosExpect(0, ["--json", "message", "list"], {
      cwd: dir,
    });
    assert.equal(
      json.json<{ content: string }[]>()[0].content,
      "x".repeat(6000),
    );
  } finally {
    await cleanup();
  }
});

Deno.test("-q orchestrate prints only the result line, completed or failed", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    const ok = await runMaosExpect(0, [
      "-q",
      "orchestrate",
      "Quietly",
      "--plan",
      writePlan(dir, "echo hello; echo '::maos::info:: hi'"),
    ], { cwd: dir });
    assert.match(
      ok.stdout,
      /^✅ Orchestration completed \(1\/1 tasks · 1 message · \$0\.0000 · [^)]+\)\n$/,
    );
    assert.equal(ok.stderr, "");
    const failed = await runMaosExpect(1, [
      "-q",
      "orchestrate",
      "Quietly fail",
      "--plan",
      writePlan(dir, "echo no; exit 3"),
    ], { cwd: dir });
    assert.match(
      failed.stdout,
      /^❌ Orchestration failed.*\(0\/1 tasks · .*\)\n$/,
    );
  } finally {
    await cleanup();
  }
});

Deno.test("-q orchestrate interrupted by Ctrl-C still says how to resume", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    const plan = writePlan(
      dir,
      "echo '::maos::info:: begun'; for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.3; done",
    );
    const [cmd, ...pre] = maosCommand();
    const child = new Deno.Command(cmd, {
      args: [...pre, "-q", "orchestrate", "Slow work", "--plan", plan],
      cwd: dir,
      env: childEnv({}),
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // Quiet prints nothing while it runs: wait for the message in the log.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const list = await runMaosExpect(0, ["--json", "message", "list"], {
        cwd: dir,
      }).catch(() => null);
      if (list && list.json<unknown[]>().length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill("SIGINT");
    const out = await child.output();
    const stdout = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 130, stdout);
    assert.match(
      stdout,
      /^⏸️ Orchestration paused\. Resume with: maos orchestration resume [0-9a-f]{8}\n💾 State saved\./,
    );
  } finally {
    await cleanup();
  }
});

Deno.test("doctor names a corrupt file once, relative to the project", async () => {
  const { dir, paths, cleanup } = await tempProject();
  try {
    await runMaosExpect(0, [
      "orchestrate",
      "Something",
      "--plan",
      writePlan(dir, "echo hi"),
    ], { cwd: dir });
    const [id] = paths.listOrchestrationIds();
    const events = paths.events(id);
    const lines = fs.readFileSync(events, "utf8").split("\n");
    lines[2] = "garbage";
    fs.writeFileSync(events, lines.join("\n"));
    const run = await runMaosExpect(4, ["doctor"], { cwd: dir });
    assert.match(
      run.stdout,
      new RegExp(
        `^✗ \\.maos/orchestrations/${id}/events\\.jsonl: line \\d+ is corrupt`,
        "m",
      ),
    );
    assert.ok(
      !run.stdout.includes(paths.root),
      `the absolute path is repeated: ${run.stdout}`,
    );
  } finally {
    await cleanup();
  }
});
