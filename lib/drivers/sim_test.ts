import { assert, assertEquals } from "./_test_assert.ts";
import { SimDriver } from "./sim.ts";
import { makeRun, outputs } from "./_test_helpers.ts";
import type { DriverEvent } from "./driver.ts";

async function eventsOf(driver: SimDriver, taskId = "t1") {
  const { run, events } = makeRun();
  run.task = { ...run.task, id: taskId };
  const result = await driver.run(run);
  return { result, events };
}

Deno.test("the same seed and task give the same events and result", async () => {
  const a = await eventsOf(new SimDriver({ seed: 42, speed: 0 }));
  const b = await eventsOf(new SimDriver({ seed: 42, speed: 0 }));
  assertEquals(a, b);
});

Deno.test("different tasks or seeds tell different stories", async () => {
  const runs = await Promise.all(
    ["t1", "t2", "t3", "t4", "t5", "t6"].map((id) =>
      eventsOf(new SimDriver({ seed: 1, speed: 0 }), id)
    ),
  );
  const distinct = new Set(
    runs.map((r) =>
      JSON.stringify(r.events.filter((e) => e.type !== "session"))
    ),
  );
  assert(distinct.size > 1);
});

Deno.test("a simulated task reports progress 25/50/75/100 and labels every line", async () => {
  const { result, events } = await eventsOf(
    new SimDriver({ seed: 7, speed: 0 }),
  );
  assertEquals(result.status, "completed");
  assert(result.summary.startsWith("[simulated]"));
  const progress = events.flatMap((e) =>
    e.type === "progress" ? [e.percent] : []
  );
  assertEquals(progress, [25, 50, 75, 100]);
  for (const line of outputs(events)) {
    assert(line.startsWith("[simulated] "), line);
  }
  for (const e of events) {
    if (e.type === "message") assert(e.content.startsWith("[simulated]"));
  }
});

Deno.test("some seeds make a discovery addressed to all", async () => {
  const found: DriverEvent[] = [];
  for (let seed = 0; seed < 20; seed++) {
    const { events } = await eventsOf(new SimDriver({ seed, speed: 0 }));
    found.push(...events.filter((e) => e.type === "message"));
  }
  assert(found.length > 0 && found.length < 20 * 4);
  for (const m of found) {
    assertEquals(m.type === "message" && [m.kind, m.to], ["discovery", null]);
  }
});

Deno.test("a new task gets a simulated session id, a resumed one keeps its own", async () => {
  const { events } = await eventsOf(new SimDriver({ seed: 3, speed: 0 }));
  assert(
    events[0].type === "session" && events[0].sessionId.startsWith("sim-"),
  );
  const { run, events: resumed } = makeRun({
    sessionId: "sim-abc",
    resumeNote: "half done",
  });
  await new SimDriver({ seed: 3, speed: 0 }).run(run);
  assert(!resumed.some((e) => e.type === "session"));
  assert(outputs(resumed)[0].includes("continuing"));
});

Deno.test("failRate 1 fails every task part-way, failRate 0 none", async () => {
  const failing = await eventsOf(
    new SimDriver({ seed: 5, speed: 0, failRate: 1 }),
  );
  assertEquals(failing.result.status, "failed");
  assert(
    !failing.events.some((e) => e.type === "progress" && e.percent === 100),
  );
  const fine = await eventsOf(
    new SimDriver({ seed: 5, speed: 0, failRate: 0 }),
  );
  assertEquals(fine.result.status, "completed");
});

Deno.test("at the default speed a task takes one to two seconds, and stop ends it at once", async () => {
  const started = Date.now();
  const { result } = await eventsOf(new SimDriver({ seed: 9, speed: 1 }));
  const took = Date.now() - started;
  assertEquals(result.status, "completed");
  assert(took >= 900 && took <= 2500, `took ${took} ms`);

  const { run, stop } = makeRun();
  const running = new SimDriver({ seed: 9, speed: 1 }).run(run);
  setTimeout(() => stop.abort(), 150);
  const stopAt = Date.now();
  const stopped = await running;
  assertEquals(stopped.status, "stopped");
  assert(Date.now() - stopAt < 300);
});

Deno.test("MAOS_SIM_SPEED and MAOS_SIM_SEED are read when no option is given", async () => {
  Deno.env.set("MAOS_SIM_SPEED", "0");
  Deno.env.set("MAOS_SIM_SEED", "42");
  try {
    const started = Date.now();
    const fromEnv = await eventsOf(new SimDriver());
    assert(Date.now() - started < 100);
    assertEquals(
      fromEnv,
      await eventsOf(new SimDriver({ seed: 42, speed: 0 })),
    );
  } finally {
    Deno.env.delete("MAOS_SIM_SPEED");
    Deno.env.delete("MAOS_SIM_SEED");
  }
});
