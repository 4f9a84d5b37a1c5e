import { assertEquals } from "../../store/_test_util.ts";
import { stallNotice, TurnWatch } from "./turn_watch.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("a silent turn is said once per silence, with what it waits for; a sign of life starts the silence over", async () => {
  const stalls: string[] = [];
  const watch = new TurnWatch({ stallWarnMs: 150, timeoutMs: 60_000 }, {
    onStall: (ms, what) => stalls.push(stallNotice("[dev-001]", ms, what)),
    onTimeout: () => {},
  });
  try {
    watch.activity("the model to answer");
    await sleep(500);
    assertEquals(stalls, [
      "⏳ [dev-001] has printed nothing for 0 s — waiting for the model to answer",
    ]);
    watch.activity();
    await sleep(400);
    assertEquals(stalls.length, 2);
  } finally {
    watch.close();
  }
});

Deno.test("a turn past its time limit is timed out once, naming the setting and what it waited for", async () => {
  const reasons: string[] = [];
  const watch = new TurnWatch({ stallWarnMs: 60_000, timeoutMs: 200 }, {
    onStall: () => {},
    onTimeout: (reason) => reasons.push(reason),
  });
  try {
    watch.activity("its Bash call to finish");
    await sleep(600);
    assertEquals(reasons, [
      "timed out after 0.2 s (turnTimeoutSeconds) while waiting for its Bash call to finish",
    ]);
    assertEquals(watch.timedOut, reasons[0]);
  } finally {
    watch.close();
  }
});
