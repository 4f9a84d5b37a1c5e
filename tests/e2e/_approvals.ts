/**
 * Shared by the approval tests with the real Claude Code: a project whose
 * test.js leaves a trace each time it runs, a one-agent plan, and readers of
 * what maos logged.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  MaosProcess,
  readEvents,
  waitForOrchestration,
  waitUntil,
} from "./_engine_helpers.ts";
import type { ClaudeProject } from "../agents/_maos_claude.ts";
import { bash } from "../../standin/mod.ts";
import type { MaosEvent, Permissions } from "../../store/schema.ts";

/** test.js appends a line to ran.txt each time it runs: the proof that it ran. */
export function projectWithTest(
  dir: string,
  permissions?: Permissions,
  tasks = 1,
  waitSeconds?: number,
  driver = "claude",
): string {
  fs.writeFileSync(
    path.join(dir, "test.js"),
    'require("fs").appendFileSync("ran.txt", "ok\\n"); console.log("1 passing");\n',
  );
  if (waitSeconds !== undefined) {
    fs.mkdirSync(path.join(dir, ".maos"), { recursive: true });
    fs.writeFileSync(
      path.join(dir, ".maos", "maos.json"),
      JSON.stringify({ formatVersion: 1, approvals: { waitSeconds } }),
    );
  }
  const file = path.join(dir, "plan.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      agents: [{
        id: "tester-001",
        role: "tester",
        driver,
        ...(permissions ? { permissions } : {}),
      }],
      tasks: Array.from({ length: tasks }, (_, i) => ({
        id: `test-${i + 1}`,
        agent: "tester-001",
        title: `Run the tests (${i + 1})`,
        ...(i > 0 ? { dependsOn: [`test-${i}`] } : {}),
      })),
    }),
  );
  return file;
}

export const ran = (dir: string) => {
  try {
    return fs.readFileSync(path.join(dir, "ran.txt"), "utf8").split("\n")
      .filter(Boolean).length;
  } catch {
    return 0;
  }
};

export const ofType = <T extends MaosEvent["type"]>(
  events: MaosEvent[],
  type: T,
) =>
  events.filter((e): e is Extract<MaosEvent, { type: T }> => e.type === type);

/** Start `orchestrate` in the background; its process and orchestration id. */
export async function start(
  { box, dir }: ClaudeProject,
  plan: string,
): Promise<{ maos: MaosProcess; id: string }> {
  const maos = new MaosProcess(["orchestrate", "Test it", "--plan", plan], {
    cwd: dir,
    env: box.env,
  });
  return { maos, id: await waitForOrchestration(dir, maos) };
}

export async function waitForRequest(
  dir: string,
  id: string,
  maos: MaosProcess,
): Promise<void> {
  await waitUntil(
    () => ofType(readEvents(dir, id), "approval.requested").length > 0,
    () => `an approval request\n${maos.output()}`,
    60_000,
  );
}

/**
 * A one-task tester that asks for `node test.js` and waits up to
 * `waitSeconds`; returns once maos logged the request, with the session.
 */
export async function startWaiting(
  project: ClaudeProject,
  waitSeconds: number,
): Promise<{ maos: MaosProcess; id: string }> {
  const plan = projectWithTest(project.dir, undefined, 1, waitSeconds);
  project.model.script(bash("node test.js"));
  const started = await start(project, plan);
  await waitForRequest(project.dir, started.id, started.maos);
  return started;
}
