/**
 * What a task that waited is told when it runs again: the answers to its
 * requests, so the agent knows, in its own session, what a person decided.
 *
 * @module
 */
import type { OrchestrationState } from "../../store/schema.ts";
import { describeCall } from "./rules.ts";

/**
 * The note for task `taskId`'s next turn, or undefined when no answer is
 * new to it (the fold marks answers told when the task starts).
 *
 * @example
 * decisionsNote(state, "test"); // "maos approval #1 (Bash: node test.js) was granted by ann@box. …"
 */
export function decisionsNote(
  state: OrchestrationState,
  taskId: string,
): string | undefined {
  const news = (state.approvals ?? []).filter((a) =>
    a.task === taskId && a.status !== "pending" && !a.told
  );
  if (news.length === 0) return undefined;
  return news.map((a) => {
    const what = `maos approval #${a.n} (${describeCall(a)})`;
    const by = a.by ? ` by ${a.by}` : "";
    return a.status === "granted"
      ? `${what} was granted${by}${
        a.always ? " for the rest of this orchestration" : ""
      }. Make that same call again now; it will be allowed.`
      : `${what} was denied${by}${
        a.reason ? `: ${a.reason}` : ""
      }. Do not try it again; go on without it.`;
  }).join("\n");
}
