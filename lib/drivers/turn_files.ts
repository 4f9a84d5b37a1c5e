/**
 * A shell turn's prompt and inbox as files (MAOS_PROMPT_FILE,
 * MAOS_INBOX_FILE) in a private temp folder, so the environment stays
 * small: one environment string may not pass 128 KiB on Linux (E2BIG), and
 * all of them together share the argv limit. MAOS_PROMPT and MAOS_INBOX are
 * kept for short ones, cut to ENV_TEXT_MAX_CHARS with a line saying where
 * the whole text is.
 *
 * @module
 */

import * as fs from "node:fs";
import process from "node:process";
import * as os from "node:os";
import * as path from "node:path";
import type { TaskRun } from "./driver.ts";
import { buildPrompt, formatInbox, inboxLine } from "./prompt.ts";

/** The most of the prompt or the inbox put in one environment variable. */
export const ENV_TEXT_MAX_CHARS = 16_000;

export interface TurnFiles {
  env: Record<string, string>;
  /** Remove the folder (after the turn's process ended). */
  remove(): void;
}

/** Write the turn's files; `env` names them and holds their short forms. */
export function writeTurnFiles(run: TaskRun): TurnFiles {
  const dir = fs.mkdtempSync(
    // Named after this maos: a later one removes it after a kill -9.
    path.join(os.tmpdir(), `maos-turn-${process.pid}-`),
  );
  fs.chmodSync(dir, 0o700);
  const promptFile = path.join(dir, "prompt.txt");
  const inboxFile = path.join(dir, "inbox.txt");
  const whole = [...(run.inboxEarlier ?? []), ...run.inbox];
  const prompt = buildPrompt(run, {
    includeRole: true,
    inboxFile,
  });
  fs.writeFileSync(promptFile, prompt, { mode: 0o600 });
  fs.writeFileSync(
    inboxFile,
    whole.map((m) => inboxLine(m) + "\n").join(""),
    { mode: 0o600 },
  );
  return {
    env: {
      MAOS_PROMPT_FILE: promptFile,
      MAOS_INBOX_FILE: inboxFile,
      MAOS_PROMPT: prompt.length <= ENV_TEXT_MAX_CHARS
        ? prompt
        : `${
          prompt.slice(0, ENV_TEXT_MAX_CHARS)
        }\n(cut at ${ENV_TEXT_MAX_CHARS} of ${prompt.length} characters; the whole prompt is in ${promptFile})`,
      MAOS_INBOX: formatInbox(run.inbox, ENV_TEXT_MAX_CHARS, {
        earlier: run.inboxEarlier?.length ?? 0,
        file: inboxFile,
      }),
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
