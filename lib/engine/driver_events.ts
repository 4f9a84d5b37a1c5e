import type {
  MaosEvent,
  NewEvent,
  OrchestrationState,
} from "../../store/schema.ts";
import type { DriverEvent } from "../drivers/driver.ts";
import { callKey, shortInput } from "../approvals/rules.ts";
import type { AgentOutputs } from "./agent_output.ts";
import type { AutoSaver } from "./auto_save.ts";
import type { MessageBus } from "./message_bus.ts";
import type { RunReporter } from "./run_options.ts";

/** What persisting a driver's report needs from the run. */
export interface EventSinks {
  state(): OrchestrationState;
  record(event: NewEvent): MaosEvent;
  bus: MessageBus;
  outputs: AgentOutputs;
  saver: AutoSaver;
  reporter: RunReporter;
}

/** Output lines kept in memory per task: what a paused task is told it had done. */
export const KEPT_LINES = 20;

/**
 * Persist one thing a driver reported, the moment it arrives: output to
 * agents/<id>.jsonl, messages to the log (then the bus delivers them),
 * progress, the session id (saved at once: a crash must not lose it) and
 * each invocation's cost and tokens.
 */
export function recordDriverEvent(
  sinks: EventSinks,
  taskId: string,
  agentId: string,
  event: DriverEvent,
  lastLines: string[],
): void {
  switch (event.type) {
    case "output":
      sinks.outputs.append(agentId, taskId, event.line);
      lastLines.push(event.line);
      if (lastLines.length > KEPT_LINES) lastLines.shift();
      sinks.reporter.output(agentId, event.line);
      return;
    case "message":
      sinks.bus.publish({
        from: agentId,
        to: event.to,
        kind: event.kind,
        content: event.content,
      });
      sinks.saver.message(event.kind);
      return;
    case "progress": {
      const percent = Math.max(0, Math.min(100, Math.round(event.percent)));
      const task = sinks.state().tasks.find((t) => t.id === taskId);
      if (task?.progress !== percent) {
        sinks.record({
          type: "task.progress",
          task: taskId,
          progress: percent,
        });
      }
      return;
    }
    case "session": {
      const agent = sinks.state().agents.find((a) => a.id === agentId);
      if (agent?.sessionId !== event.sessionId) {
        sinks.record({
          type: "agent.session",
          agent: agentId,
          sessionId: event.sessionId,
        });
        void sinks.saver.save();
      }
      return;
    }
    case "denied": {
      // A call refused while it waited for a person is not a refusal yet:
      // its task waits for the answer (lib/approvals/).
      sinks.bus.ingestInbox();
      const key = callKey(event);
      const waiting = (sinks.state().approvals ?? []).some((a) =>
        a.task === taskId && a.status === "pending" && a.callKey === key
      );
      if (waiting) return;
      sinks.record({
        type: "permission.denied",
        agent: agentId,
        task: taskId,
        tool: event.tool,
        input: shortInput(event.input),
      });
      return;
    }
    case "usage":
      // Logged as a `cost` event (DESIGN.md §2 names it) that the fold adds up.
      sinks.record({
        type: "cost",
        agent: agentId,
        ...(event.costUsd === undefined ? {} : { costUsd: event.costUsd }),
        inputTokens: event.inputTokens,
        outputTokens: event.outputTokens,
        ...(event.sessionTotals ? { sessionTotals: event.sessionTotals } : {}),
        ...(event.estimated ? { estimated: true } : {}),
        ...(event.replaces ? { replaces: event.replaces } : {}),
      });
      return;
    case "activity":
      // Only the turn's clock cares (run.ts): nothing to persist.
      return;
  }
}
