/**
 * The per-agent Codex sandbox (`permissions.sandbox`, issue 14) with the real
 * Codex CLI against the model stand-in: an agent whose plan says
 * `read-only` cannot write the file that a `workspace-write` agent writes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { assertEquals, assertIncludes, maosOk } from "./_engine_helpers.ts";
import { codexExec, responsesInput, say } from "../../standin/mod.ts";
import { ModelStandin } from "../../standin/server.ts";
import { cliSandbox } from "../agents/_real_cli.ts";
import { statusOf } from "../agents/_maos_claude.ts";

Deno.test("real codex: permissions.sandbox per agent — read-only cannot write, workspace-write can", async () => {
  await using model = await ModelStandin.start([]);
  await using box = await cliSandbox(model);
  const dir = box.project;
  const plan = path.join(dir, "plan.json");
  fs.writeFileSync(
    plan,
    JSON.stringify({
      agents: [
        {
          id: "reader-001",
          role: "reviewer",
          driver: "codex",
          permissions: { sandbox: "read-only" },
        },
        {
          id: "writer-001",
          role: "developer",
          driver: "codex",
          permissions: { sandbox: "workspace-write" },
        },
      ],
      tasks: [
        { id: "read", agent: "reader-001", title: "Try to write" },
        {
          id: "write",
          agent: "writer-001",
          title: "Write",
          dependsOn: ["read"],
        },
      ],
    }),
  );
  model.script(
    codexExec("echo reader > reader.txt"),
    say("Could not write."),
    codexExec("echo writer > writer.txt"),
    say("Wrote it."),
  );
  const run = await maosOk(["orchestrate", "Write files", "--plan", plan], {
    cwd: dir,
    env: box.env,
  });
  const why = run.stdout + run.stderr;
  assertEquals(fs.existsSync(path.join(dir, "reader.txt")), false, why);
  assertEquals(
    fs.readFileSync(path.join(dir, "writer.txt"), "utf8"),
    "writer\n",
    why,
  );
  // The read-only agent's command failed inside Codex's sandbox; the model saw it.
  const afterRead = responsesInput(model.turns()[1].body).map((i) => i.text)
    .join("\n");
  assertIncludes(afterRead, "Read-only file system");
  const ids = fs.readdirSync(path.join(dir, ".maos", "orchestrations"));
  const done = await statusOf(dir, ids[0], box.env);
  assertEquals(done.status, "completed");
});
