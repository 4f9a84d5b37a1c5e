/**
 * Who is speaking on the inbox. Each turn's processes get a secret
 * MAOS_AGENT_TOKEN; its sha-256 goes into that turn's `task.status running`
 * event (and the agent's `turnTokens` in the state), so any later maos (a
 * resume too) can check a line without maos writing the secret down. An inbox line that claims an
 * agent must carry one of that agent's tokens; lines from people (`user`)
 * carry none. The limit, said in the README: processes of the same user can
 * read each other's environment, so this keeps agents from speaking for
 * each other by mistake or by a guessed id, not a hostile local user out.
 *
 * @module
 */

import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import process from "node:process";
import * as os from "node:os";
import * as path from "node:path";
import type { InboxLine, OrchestrationState } from "../../store/schema.ts";

/** The sender a person's `maos message send` uses. */
export const PERSON_SENDER = "user";

/** A fresh secret for one turn's processes (32 random bytes, hex). */
export function newAgentToken(): string {
  return randomBytes(32).toString("hex");
}

/**
 * The token in a file only this user can read (a private temp folder), for
 * what must name it on a command line: the MCP server configs of Claude
 * Code and Codex are argv, which every local user can see in `ps`.
 */
export function writeTokenFile(token: string): {
  file: string;
  remove(): void;
} {
  const dir = fs.mkdtempSync(
    // Named after this maos: a later one removes it after a kill -9.
    path.join(os.tmpdir(), `maos-token-${process.pid}-`),
  );
  fs.chmodSync(dir, 0o700);
  const file = path.join(dir, "token");
  fs.writeFileSync(file, token, { mode: 0o600 });
  return {
    file,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The token this process was given: MAOS_AGENT_TOKEN, else the file MAOS_AGENT_TOKEN_FILE names. */
export function tokenFromEnv(
  env: Record<string, string | undefined>,
): string | undefined {
  if (env.MAOS_AGENT_TOKEN) return env.MAOS_AGENT_TOKEN;
  if (!env.MAOS_AGENT_TOKEN_FILE) return undefined;
  try {
    return fs.readFileSync(env.MAOS_AGENT_TOKEN_FILE, "utf8").trim() ||
      undefined;
  } catch {
    // Gone with its turn: lines without a token are refused, and say so.
    return undefined;
  }
}

/** One turn's secret: the value, its hash for the log, its private file. */
export interface TurnToken {
  token: string;
  hash: string;
  file: string;
  /** Remove the file (when the turn has ended). */
  remove(): void;
}

/** A fresh token for a turn, with its file written. */
export function newTurnToken(): TurnToken {
  const token = newAgentToken();
  return { token, hash: tokenHash(token), ...writeTokenFile(token) };
}

/** What the log keeps of a token. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The turn of `agent` this token was given to, if it is one of its recent turns. */
function turnOf(
  state: OrchestrationState,
  agent: string,
  token: string | undefined,
): string | undefined {
  if (token === undefined) return undefined;
  const hash = tokenHash(token);
  return state.agents.find((a) => a.id === agent)?.turnTokens
    ?.find((t) => t.hash === hash)?.task;
}

/**
 * Why an inbox line must not be ingested, or null when it may: the sender
 * is a person, or an agent of the orchestration with a token of its own
 * recent turns; progress only with the token of that task's turn (the
 * agent had it only while the task ran, so a report ingested just after
 * it ended still counts).
 */
export function refusalOf(
  // A checkpoint request is nobody's word: the bus takes it before this.
  line: Exclude<InboxLine, { kind: "checkpoint" }>,
  state: OrchestrationState,
): string | null {
  if (line.from === PERSON_SENDER && line.kind !== "progress") return null;
  if (!state.agents.some((a) => a.id === line.from)) {
    return `'${line.from}' is not an agent of this orchestration`;
  }
  const task = turnOf(state, line.from, line.token);
  if (task === undefined) {
    return line.token === undefined
      ? `no agent token: not sent by a process maos started for ${line.from}`
      : `wrong agent token for ${line.from}`;
  }
  if (line.kind !== "progress" || task === line.task) return null;
  const owner = state.tasks.find((t) => t.id === line.task)?.agent;
  if (!owner) return `no task '${line.task}'`;
  return owner !== line.from
    ? `task '${line.task}' belongs to ${owner}, not ${line.from}`
    : `task '${line.task}' is not the task ${line.from} is running`;
}
