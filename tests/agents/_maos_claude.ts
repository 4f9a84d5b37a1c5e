/**
 * maos driving the real Claude Code against the model stand-in: a project
 * per test with its own HOME, and readers for what maos recorded. Used by
 * tests/e2e/real_claude_*_test.ts.
 *
 * @example
 * await withClaudeProject([say("…")], async ({ model, box, dir }) => {
 *   await maosOk(["orchestrate", "Do it", "--plan", plan], { cwd: dir, env: box.env });
 * });
 */
import type { OrchestrationStatus } from "../../lib/queries/queries.ts";
import { maosOk } from "../fixtures/recovery_fixture.ts";
import { ModelStandin } from "../../standin/server.ts";
import type { Turn } from "../../standin/script.ts";
import { type CliSandbox, cliSandbox } from "./_real_cli.ts";

export interface ClaudeProject {
  model: ModelStandin;
  box: CliSandbox;
  /** The project maos runs in (box.project). */
  dir: string;
}

/** A stand-in with `turns`, a sandbox, and its project; all removed after `fn`. */
export async function withClaudeProject(
  turns: Turn[],
  fn: (project: ClaudeProject) => Promise<void>,
  options: { maxRetries?: number } = {},
): Promise<void> {
  await using model = await ModelStandin.start(turns);
  await using box = await cliSandbox(model, options);
  await fn({ model, box, dir: box.project });
}

/** `maos --json orchestration status ID`. */
export async function statusOf(
  dir: string,
  id: string,
  env: Record<string, string>,
): Promise<OrchestrationStatus> {
  return (await maosOk(["--json", "orchestration", "status", id], {
    cwd: dir,
    env,
  })).json<OrchestrationStatus>();
}

/** The Claude session a request belongs to (Claude Code sends it as a header). */
export function sessionOf(
  request: { headers: Record<string, string> },
): string {
  return request.headers["x-claude-code-session-id"] ?? "";
}
