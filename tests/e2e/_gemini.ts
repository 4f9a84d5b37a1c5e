/**
 * Helpers for the real Gemini CLI tests (not part of the program): a
 * project with a stand-in and a sandbox, plan files of gemini agents, and
 * the text of a recorded request.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { geminiContents, type Turn } from "../../standin/mod.ts";
import { ModelStandin } from "../../standin/server.ts";
import { type CliSandbox, cliSandbox } from "../agents/_real_cli.ts";
import { driverPlan } from "./_engine_helpers.ts";

export interface GeminiProject {
  model: ModelStandin;
  box: CliSandbox;
  dir: string;
}

/**
 * Run `fn` with a stand-in and a sandbox. TMPDIR is the sandbox's: the CLI
 * writes an error report there on every API error.
 */
export async function withGeminiProject(
  turns: Turn[],
  fn: (project: GeminiProject) => Promise<void>,
): Promise<void> {
  await using model = await ModelStandin.start(turns);
  await using box = await cliSandbox(model);
  const tmp = path.join(box.root, "tmp");
  fs.mkdirSync(tmp);
  box.env.TMPDIR = tmp;
  await fn({ model, box, dir: box.project });
}

/** A plan file of gemini agents: [agent, task, dependsOn?] rows. */
export function geminiPlan(
  dir: string,
  tasks: [string, string, string?][],
): string {
  return driverPlan(dir, "gemini", tasks);
}

/** Every text of a recorded Gemini request's conversation, joined. */
export function promptText(body: unknown): string {
  return geminiContents(body).map((c) => c.text).join("\n");
}
