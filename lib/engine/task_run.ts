import type {
  AgentState,
  Config,
  OrchestrationState,
  TaskState,
} from "../../store/schema.ts";
import type { InboxMessage, TaskRun } from "../drivers/driver.ts";
import { effectivePermissions } from "../approvals/permissions.ts";
import { agentPath } from "../drivers/maos_self.ts";

export interface TurnInputs {
  state: OrchestrationState;
  agent: AgentState;
  task: TaskState;
  inbox: InboxMessage[];
  /** Older unseen messages the inbox leaves out (the bus window dropped them). */
  inboxEarlier: InboxMessage[];
  cwd: string;
  maosDir: string;
  /** The turn's secret (agent_token.ts): MAOS_AGENT_TOKEN, and its file MAOS_AGENT_TOKEN_FILE. */
  agentToken: { token: string; file: string };
  sessionId: string | undefined;
  resumeNote: string | undefined;
  extraTask: string | undefined;
  budgetLeftUsd: number | undefined;
  stop: AbortSignal;
  kill: AbortSignal;
  emit: TaskRun["emit"];
  onProcess: TaskRun["onProcess"];
  /** Decisions on the task's requests the agent has not heard yet (approvals/told.ts). */
  told?: string;
  /** For the agent's permissions (maos.json defaults under the plan's). */
  config: Config;
}

/**
 * What a driver is given for one turn: the agent and its task as the plan
 * has them, the messages for it, and the MAOS_* environment that lets the
 * agent's own processes talk back (`maos message send`, `maos mcp`), with
 * this maos first on their PATH.
 */
export function buildTaskRun(turn: TurnInputs): TaskRun {
  const { agent, task, state } = turn;
  return {
    agent: {
      id: agent.id,
      role: agent.role,
      driver: agent.driver,
      instructions: agent.instructions,
    },
    task: {
      id: task.id,
      agent: task.agent,
      title: task.title,
      description: task.description,
      dependsOn: task.dependsOn,
      ...(task.run ? { run: task.run } : {}),
    },
    request: state.request,
    inbox: turn.inbox,
    ...(turn.inboxEarlier.length > 0
      ? { inboxEarlier: turn.inboxEarlier }
      : {}),
    cwd: turn.cwd,
    env: {
      MAOS_DIR: turn.maosDir,
      MAOS_ORCHESTRATION_ID: state.id,
      MAOS_AGENT_ID: agent.id,
      MAOS_TASK_ID: task.id,
      // Every driver passes `env` on, and the MCP server gets it through
      // mcpServerEnv: the one place an agent gets its token.
      MAOS_AGENT_TOKEN: turn.agentToken.token,
      MAOS_AGENT_TOKEN_FILE: turn.agentToken.file,
      // `maos` on the agent's PATH is this maos (binary or source run).
      PATH: agentPath(),
    },
    sessionId: turn.sessionId,
    ...(turn.sessionId && agent.sessionTotals
      ? { sessionTotals: agent.sessionTotals }
      : {}),
    resumeNote: turn.resumeNote,
    // Told like an extra task: what a person decided, and what to do now.
    extraTask: [turn.extraTask, turn.told].filter(Boolean).join("\n\n") ||
      undefined,
    permissions: effectivePermissions(turn.config, agent),
    ...(turn.budgetLeftUsd === undefined
      ? {}
      : { budgetLeftUsd: turn.budgetLeftUsd }),
    stop: turn.stop,
    kill: turn.kill,
    emit: turn.emit,
    onProcess: turn.onProcess,
  };
}
