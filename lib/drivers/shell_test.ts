import { assert, assertEquals, assertStringIncludes } from "./_test_assert.ts";
import { ShellDriver } from "./shell.ts";
import { makeRun, outputs } from "./_test_helpers.ts";

const driver = new ShellDriver({ graceMs: 500 });
const task = (run: string) => ({
  id: "t1",
  agent: "developer-001",
  title: "Build it",
  description: "",
  dependsOn: [],
  run,
});

Deno.test("a successful command completes with its last output line as summary", async () => {
  const { run, events } = makeRun({
    task: task("echo one; echo; echo two; echo"),
  });
  const result = await driver.run(run);
  assertEquals(result, { status: "completed", summary: "two" });
  assertEquals(outputs(events), ["one", "", "two", ""]);
});

Deno.test("a silent successful command is summarised as done", async () => {
  const { run } = makeRun({ task: task("true") });
  assertEquals(await driver.run(run), { status: "completed", summary: "done" });
});

Deno.test("maos lines become messages and progress, in order with output", async () => {
  const { run, events } = makeRun({
    task: task(
      "echo start; echo '::maos::discovery:: found it'; echo '::maos::progress:: 50'; " +
        "echo '::maos::request to=tester-001:: test it'; echo end",
    ),
  });
  const result = await driver.run(run);
  assertEquals(events, [
    { type: "output", line: "start" },
    { type: "message", kind: "discovery", to: null, content: "found it" },
    { type: "progress", percent: 50 },
    { type: "message", kind: "request", to: "tester-001", content: "test it" },
    { type: "output", line: "end" },
  ]);
  assertEquals(result.summary, "end");
});

Deno.test("a failing command fails naming the exit code and the last stderr line", async () => {
  const { run } = makeRun({
    task: task("echo working; echo first >&2; echo 'no such file' >&2; exit 3"),
  });
  assertEquals(await driver.run(run), {
    status: "failed",
    summary: "exited with code 3: no such file",
  });
});

Deno.test("a task without run fails with a clear summary", async () => {
  const { run } = makeRun();
  const result = await driver.run(run);
  assertEquals(result.status, "failed");
  assertStringIncludes(result.summary, "task t1 has no `run` command");
});

Deno.test("the command runs in cwd with the task env, MAOS_PROMPT and MAOS_INBOX", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const { run, events } = makeRun({
      cwd: dir,
      task: task(
        'pwd; echo "$MAOS_TASK_ID"; echo "$MAOS_INBOX"; printf %s "$MAOS_PROMPT" | head -n 1',
      ),
      inbox: [{
        seq: 7,
        from: "analyst-001",
        to: null,
        type: "info",
        content: "hi",
      }],
    });
    await driver.run(run);
    assertEquals(outputs(events), [
      Deno.realPathSync(dir),
      "t1",
      "#7 info from analyst-001 to all: hi",
      "You are developer-001, the developer in a team of agents coordinated by maos.",
    ]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a stop request ends the command and the task is stopped", async () => {
  const { run, stop, pids } = makeRun({ task: task("echo ready; sleep 30") });
  run.emit = () => stop.abort();
  const started = Date.now();
  const result = await driver.run(run);
  assertEquals(result.status, "stopped");
  assertEquals(pids.length, 1);
  assert(Date.now() - started < 2000);
});

Deno.test("a missing working directory fails the task and names the directory", async () => {
  const { run } = makeRun({ cwd: "/nonexistent/maos-cwd", task: task("true") });
  const result = await driver.run(run);
  assertEquals(result.status, "failed");
  assertStringIncludes(result.summary, "/nonexistent/maos-cwd");
});
