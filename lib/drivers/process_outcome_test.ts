import { assertEquals } from "./_test_assert.ts";
import { forwardLines, lastLine, outcomeOf } from "./process_outcome.ts";
import type { DriverEvent } from "./driver.ts";

const exit = (over: Partial<Parameters<typeof outcomeOf>[0]>) => ({
  exitCode: null,
  signal: null,
  stderr: "",
  stopped: false,
  ...over,
});

Deno.test("exit 0 completes even when a stop came too late to matter", () => {
  assertEquals(outcomeOf(exit({ exitCode: 0, stopped: true }), "built"), {
    status: "completed",
    summary: "built",
  });
});

Deno.test("a process ended on request is stopped, with its last output", () => {
  assertEquals(outcomeOf(exit({ signal: "SIGINT", stopped: true }), "half"), {
    status: "stopped",
    summary: "stopped; last output: half",
  });
});

Deno.test("a process killed from outside fails naming the signal", () => {
  assertEquals(
    outcomeOf(exit({ signal: "SIGKILL", stderr: "oom\n\n" }), undefined),
    {
      status: "failed",
      summary: "killed by SIGKILL: oom",
    },
  );
});

Deno.test("the last output line ignores blanks and maos lines", () => {
  const events: DriverEvent[] = [];
  const fwd = forwardLines((e) => events.push(e));
  for (const l of ["first", "  second  ", "", "::maos::progress:: 5"]) {
    fwd.onLine(l);
  }
  assertEquals(fwd.lastOutput(), "second");
  assertEquals(events.length, 4);
  assertEquals(lastLine("a\r\nb\r\n  \n"), "b");
  assertEquals(lastLine(""), undefined);
});
