/**
 * Shell agents and big inputs: the prompt and the inbox travel as files
 * (MAOS_PROMPT_FILE, MAOS_INBOX_FILE), the environment stays small (a
 * 128 KB request runs instead of failing with E2BIG), and an inbox cut to
 * the bus window says how many messages it left out and where all are.
 * Real runs of real shell agents.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { runMaosExpect } from "./run_maos.ts";
import { tempProject } from "./_store_fixture.ts";

function writePlan(dir: string, plan: unknown): string {
  const file = path.join(dir, "plan.json");
  fs.writeFileSync(file, JSON.stringify(plan));
  return file;
}

const read = (dir: string, file: string) =>
  fs.readFileSync(path.join(dir, file), "utf8");

Deno.test("a 128 KB request reaches a shell agent through MAOS_PROMPT_FILE, and MAOS_PROMPT stays small", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    const plan = writePlan(dir, {
      agents: [{ id: "worker-001", role: "worker" }],
      tasks: [{
        id: "read",
        agent: "worker-001",
        title: "Read the request",
        run: 'wc -c < "$MAOS_PROMPT_FILE" > prompt.size; ' +
          'printf "%s" "$MAOS_PROMPT" | wc -c > env.size; ' +
          'grep -c "END-OF-REQUEST" "$MAOS_PROMPT_FILE" > prompt.end; ' +
          'printf "%s" "$MAOS_PROMPT" | tail -1 > env.tail',
      }],
    });
    const request = "word ".repeat(25_600) + "END-OF-REQUEST"; // 128,014 bytes
    await runMaosExpect(0, ["orchestrate", request, "--plan", plan], {
      cwd: dir,
    });
    assert.ok(Number(read(dir, "prompt.size")) > 128_000);
    assert.equal(read(dir, "prompt.end").trim(), "1");
    assert.ok(Number(read(dir, "env.size")) < 17_000, read(dir, "env.size"));
    assert.match(
      read(dir, "env.tail"),
      /^\(cut at 16000 of \d+ characters; the whole prompt is in \/.*prompt\.txt\)$/,
    );
  } finally {
    await cleanup();
  }
});

Deno.test("an inbox of 2,500 messages: MAOS_INBOX_FILE has all, MAOS_INBOX says how many it left out and where they are", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    const plan = writePlan(dir, {
      agents: [
        { id: "talker-001", role: "talker" },
        { id: "reader-001", role: "reader" },
      ],
      tasks: [
        {
          id: "talk",
          agent: "talker-001",
          title: "Talk a lot",
          run:
            `awk 'BEGIN { for (i = 1; i <= 2500; i++) print "::maos::info to=reader-001:: note " i }'`,
        },
        {
          id: "read",
          agent: "reader-001",
          title: "Read it all",
          dependsOn: ["talk"],
          run: 'wc -l < "$MAOS_INBOX_FILE" > inbox.lines; ' +
            'head -1 "$MAOS_INBOX_FILE" > inbox.first; ' +
            'printf "%s\\n" "$MAOS_INBOX" > inbox.env',
        },
      ],
    });
    await runMaosExpect(0, ["orchestrate", "Talk", "--plan", plan], {
      cwd: dir,
    });
    assert.equal(read(dir, "inbox.lines").trim(), "2500");
    assert.match(
      read(dir, "inbox.first"),
      /from talker-001 to reader-001: note 1\n$/,
    );
    const env = read(dir, "inbox.env").trim().split("\n");
    assert.match(
      env[0],
      /^\(2300 earlier message\(s\) left out; the whole inbox is in \/.*inbox\.txt\)$/,
    );
    assert.equal(env.length, 201);
    assert.match(env.at(-1)!, /note 2500$/);
  } finally {
    await cleanup();
  }
});
