/**
 * Messages from a real Claude Code agent reach the team's bus through each
 * channel: `::maos::` lines in its text, and `maos message send` run with its
 * Bash tool (the command the prompt tells it to use).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assertEquals,
  maosOk,
  orchestrationIds,
  readEvents,
} from "./_engine_helpers.ts";
import { bash, lastUserText, say } from "../../standin/mod.ts";
import { withClaudeProject } from "../agents/_maos_claude.ts";

// Claude Code refuses an unlisted Bash call under --permission-mode
// acceptEdits ("This command requires approval"): maos allows exactly
// `Bash(maos message send:*)` and puts itself first on the agent's PATH.
Deno.test({
  name:
    "real claude: `maos message send` through Claude's Bash tool and a ::maos:: line both reach the bus",
  fn: async () => {
    await withClaudeProject([], async ({ model, box, dir }) => {
      fs.writeFileSync(
        path.join(dir, "plan.json"),
        JSON.stringify({
          agents: [{
            id: "dev-001",
            role: "developer",
            driver: "claude",
            instructions: "",
          }],
          tasks: [{ id: "talk", agent: "dev-001", title: "Talk to the team" }],
        }),
      );
      model.script(
        bash('maos message send --type discovery "found via bash"'),
        say("Told them.\n::maos::discovery:: found via a line"),
      );
      await maosOk(["orchestrate", "Talk", "--plan", "plan.json"], {
        cwd: dir,
        env: box.env,
      });
      const [id] = orchestrationIds(dir);
      const toolResult = lastUserText(model.turns()[1].body);
      // The inbox is polled, so the two may be logged in either order.
      const discoveries = readEvents(dir, id).flatMap((e) =>
        e.type === "message" && e.kind === "discovery"
          ? [[e.from, e.content]]
          : []
      ).sort((a, b) => b[1].localeCompare(a[1]));
      assertEquals(discoveries, [
        ["dev-001", "found via bash"],
        ["dev-001", "found via a line"],
      ], `the Bash call answered: ${toolResult}`);
    });
  },
});
