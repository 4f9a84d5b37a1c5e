import * as fs from "node:fs";
import { assert, assertEquals } from "../../store/_test_util.ts";
import { withMaos } from "../recovery/_checkpoint_test_util.ts";
import {
  AgentOutputs,
  type OutputLine,
  readTaskOutputTail,
} from "./agent_output.ts";

const ID = "0a0a0a0a0a0a";

Deno.test("output lines are written once per burst, each line exactly as JSON.stringify writes it", async () => {
  await withMaos(async (paths) => {
    fs.mkdirSync(paths.agentsDir(ID), { recursive: true });
    const outputs = new AgentOutputs(paths, ID);
    const lines = ["plain", 'quotes " and \\ and \t', "é ✓ 𝄞", ""];
    for (const line of lines) outputs.append("dev-001", "t1", line);
    outputs.append("dev-001", "t2", "next task");
    const file = paths.agentOutput(ID, "dev-001");
    // Nothing is written while the burst is still being handled…
    assert(!fs.existsSync(file) || fs.readFileSync(file, "utf8") === "");
    await Promise.resolve();
    // …and all of it right after.
    const written = fs.readFileSync(file, "utf8").split("\n").slice(0, -1);
    assertEquals(written.length, 5);
    written.forEach((text, i) => {
      const record = JSON.parse(text) as OutputLine;
      assertEquals(
        text,
        JSON.stringify({ at: record.at, task: record.task, line: record.line }),
      );
      assertEquals(record.line, i < 4 ? lines[i] : "next task");
      assertEquals(record.task, i < 4 ? "t1" : "t2");
    });
    outputs.closeAll();
    assertEquals(readTaskOutputTail(paths, ID, "dev-001", "t1"), lines);
  });
});

Deno.test("a burst past 64 KB is written as it goes; closeAll writes the rest", async () => {
  await withMaos(async (paths) => {
    fs.mkdirSync(paths.agentsDir(ID), { recursive: true });
    const outputs = new AgentOutputs(paths, ID);
    const line = "x".repeat(1000);
    for (let i = 0; i < 100; i++) outputs.append("dev-001", "t1", line);
    const file = paths.agentOutput(ID, "dev-001");
    assert(fs.statSync(file).size >= 64 * 1024);
    outputs.closeAll();
    assertEquals(fs.readFileSync(file, "utf8").split("\n").length - 1, 100);
    await Promise.resolve();
  });
});
