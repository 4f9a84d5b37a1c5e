/**
 * Which orchestration a command means: an id prefix, the newest one, or the
 * newest that can be resumed.
 *
 * @module
 */
import { ExitCode, MaosError, usageError } from "../../store/errors.ts";
import { resolveIdPrefix } from "../../store/ids.ts";
import { busyError, inspectLock } from "../../store/lock.ts";
import type { MaosPaths } from "../../store/paths.ts";
import { listOrchestrations } from "./queries.ts";

/** The full id for a unique prefix of 4+ hex characters (exit 2 otherwise). */
export function resolveOrchestrationId(
  paths: MaosPaths,
  prefix: string,
): string {
  return resolveIdPrefix(prefix, paths.listOrchestrationIds(), "orchestration");
}

/**
 * What `resume` works on: the id given, else the newest paused or
 * interrupted orchestration. When there is none but one is running, that is
 * said (exit 3): a second `resume` lost the race to the first.
 */
export function chooseResumable(paths: MaosPaths, idArg?: string): string {
  if (idArg) return resolveOrchestrationId(paths, idArg);
  const all = listOrchestrations(paths);
  const found = all.find((o) =>
    o.status === "paused" || o.status === "interrupted"
  );
  if (found) return found.id;
  const running = all.find((o) => o.status === "running");
  if (running) {
    const view = inspectLock(paths.lock(running.id));
    if (view.state === "live") {
      throw busyError(view.lock, `orchestration ${running.id.slice(0, 8)}`);
    }
  }
  throw new MaosError(
    "no paused or interrupted orchestration to resume",
    ExitCode.usage,
    "see them all with: maos orchestration list",
  );
}

/** The newest orchestration of all, for commands whose id is optional. */
export function mostRecentOrchestration(paths: MaosPaths): string | undefined {
  return listOrchestrations(paths, { limit: 1 })[0]?.id;
}

/** The orchestration a command names (id or prefix), else the newest one. */
export function chooseOrchestration(paths: MaosPaths, idArg?: string): string {
  if (idArg) return resolveOrchestrationId(paths, idArg);
  const id = mostRecentOrchestration(paths);
  if (!id) {
    throw usageError(
      "there are no orchestrations yet",
      'start one with: maos orchestrate "…"',
    );
  }
  return id;
}

/**
 * The agent `agent` of an orchestration, or a usage error (exit 2) that
 * lists the agents it has.
 */
export function requireAgentOf<A extends { id: string }>(
  orchestration: { id: string; agents: readonly A[] },
  agent: string,
): A {
  const found = orchestration.agents.find((a) => a.id === agent);
  if (found) return found;
  throw usageError(
    `orchestration ${orchestration.id.slice(0, 8)} has no agent '${agent}'`,
    `its agents: ${
      orchestration.agents.map((a) => a.id).join(", ") || "(none)"
    }`,
  );
}
