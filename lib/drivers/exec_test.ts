import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "./_test_assert.ts";
import { existsSync } from "node:fs";
import { ExitCode, MaosError } from "../../store/errors.ts";
import { execArgv, ExecDriver } from "./exec.ts";
import { FIXTURES, makeRun, outputs } from "./_test_helpers.ts";

const FAKE = `${FIXTURES}fake-agent`;

Deno.test("{prompt} is replaced inside arguments verbatim, the program name untouched", () => {
  assertEquals(
    execArgv(["{prompt}", "--message={prompt}", "-v"], "a $& $1 'b' \"c\""),
    ["{prompt}", "--message=a $& $1 'b' \"c\"", "-v"],
  );
});

Deno.test("the prompt in an argument arrives whole, and shell syntax in it is not run", async () => {
  const marker = `${Deno.makeTempDirSync()}/pwned`;
  const { run, events } = makeRun({
    request: `$(touch ${marker}); \`touch ${marker}\``,
  });
  const result = await new ExecDriver({ command: [FAKE, "--message={prompt}"] })
    .run(run);
  assertEquals(result, { status: "completed", summary: "final line" });
  const lines = outputs(events);
  assertEquals(
    lines[0],
    "arg: --message=You are developer-001, the developer in a team of agents coordinated by maos.",
  );
  assert(
    lines.includes(
      `The team's request: $(touch ${marker}); \`touch ${marker}\``,
    ),
  );
  assert(
    !lines.some((l) => l.startsWith("stdin:")),
    "stdin is empty in arg mode",
  );
  assert(!existsSync(marker));
  // The echoed prompt shows the ::maos:: syntax; only the agent's own line is a message.
  assertEquals(events.filter((e) => e.type === "message").length, 1);
});

Deno.test("without {prompt} the prompt goes on stdin", async () => {
  const { run, events } = makeRun();
  await new ExecDriver({ command: [FAKE, "--yes"] }).run(run);
  const lines = outputs(events);
  assertEquals(lines[0], "arg: --yes");
  assert(lines.includes("stdin: The team's request: Make a thing"));
});

Deno.test("maos lines of an exec agent are messages and progress", async () => {
  const { run, events } = makeRun();
  await new ExecDriver({ command: [FAKE] }).run(run);
  assert(
    events.some((e) =>
      e.type === "message" && e.kind === "info" &&
      e.content === "hello from exec"
    ),
  );
  assert(events.some((e) => e.type === "progress" && e.percent === 80));
});

Deno.test("a non-zero exit fails naming the code and the last stderr line", async () => {
  const { run } = makeRun({ env: { FAKE_AGENT_FAIL: "1" } });
  assertEquals(await new ExecDriver({ command: [FAKE] }).run(run), {
    status: "failed",
    summary: "exited with code 4: it broke",
  });
});

Deno.test("a missing agent program is a MaosError naming it", async () => {
  const { run } = makeRun();
  const err = await assertRejects(() =>
    new ExecDriver({ command: ["maos-no-such-agent", "{prompt}"] }).run(run)
  );
  assert(err instanceof MaosError);
  assertStringIncludes(err.message, "`maos-no-such-agent` not found");
});

Deno.test("a bad template is a usage error at construction", () => {
  const bad = [
    { command: [] },
    { command: [""] },
    { command: ["llm"], promptVia: "arg" as const },
    { command: ["llm"], promptVia: "pipe" as unknown as "arg" },
    undefined as unknown as { command: string[] },
  ];
  for (const options of bad) {
    try {
      new ExecDriver(options);
      throw new Error(`accepted ${JSON.stringify(options)}`);
    } catch (err) {
      assert(err instanceof MaosError, String(err));
      assertEquals(err.code, ExitCode.usage);
    }
  }
});

Deno.test("a stopped exec agent is stopped", async () => {
  const { run, stop } = makeRun();
  run.emit = () => stop.abort();
  const result = await new ExecDriver({
    command: ["/bin/sh", "-c", "echo go; sleep 30"],
    graceMs: 500,
  }).run(run);
  assertEquals(result.status, "stopped");
});

Deno.test("a prompt too long for an argument fails the task saying so and what works, instead of a bare E2BIG", async () => {
  const { run } = makeRun({ request: "word ".repeat(26_000) });
  const result = await new ExecDriver({ command: [FAKE, "{prompt}"] }).run(
    run,
  );
  assertEquals(result.status, "failed");
  assertStringIncludes(result.summary, "too long for an argument");
  assertStringIncludes(result.summary, 'drivers.exec.promptVia to "stdin"');
  // On stdin the same prompt goes through.
  const viaStdin = await new ExecDriver({ command: [FAKE, "--yes"] }).run(
    makeRun({ request: "word ".repeat(26_000) }).run,
  );
  assertEquals(viaStdin.status, "completed");
});
