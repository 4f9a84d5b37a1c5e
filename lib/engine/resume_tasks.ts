/**
 * What `resume` does to the tasks before the run goes on: tasks cut off by a
 * crash become interrupted (with what they had produced), failed ones get
 * another chance, and `--task` adds a follow-up.
 *
 * @module
 */
import type { Journal } from "../../store/journal.ts";
import type {
  AgentState,
  OrchestrationState,
  TaskState,
} from "../../store/schema.ts";
import { readTaskOutputTail, resumeNoteFrom } from "./agent_output.ts";

/**
 * After a crash, tasks the log shows as running were cut off: mark them
 * interrupted with what they had produced, so each runs again exactly once.
 * Failed tasks (and those they blocked) get another chance.
 */
export function prepareTasksForResume(
  journal: Journal,
  before: OrchestrationState,
): void {
  for (const task of before.tasks) {
    if (task.status === "running") {
      const lines = readTaskOutputTail(
        journal.paths,
        journal.id,
        task.agent,
        task.id,
      );
      journal.append({
        type: "task.status",
        task: task.id,
        status: "interrupted",
        summary: "interrupted (maos stopped while it ran)",
        resumeNote: resumeNoteFrom(lines, task.resumeNote),
      });
    } else if (task.status === "failed") {
      journal.append({
        type: "task.status",
        task: task.id,
        status: "pending",
        summary: "retrying after failure",
      });
    }
  }
  for (const agent of journal.state.agents) {
    if (agent.status === "running" || agent.status === "failed") {
      journal.append({
        type: "agent.status",
        agent: agent.id,
        status: "interrupted",
      });
    }
  }
}

/** `resume --task "…"`: a new task for the team's developer (or first agent). */
export function addFollowUpTask(journal: Journal, text: string): void {
  const agents = journal.state.agents;
  const agent = agents.find((a) => a.role === "developer") ?? agents[0];
  const n =
    journal.state.tasks.filter((t) => t.id.startsWith("followup-")).length + 1;
  journal.append({
    type: "task.added",
    task: {
      id: `followup-${n}`,
      agent: agent.id,
      title: text.slice(0, 80),
      description: text,
      dependsOn: [],
    },
  });
}

/**
 * What each agent says as a resumed run gives it its first task. A shell
 * command has no session to continue: it runs again from its first line,
 * and says so.
 */
export function resumeLine(agent: AgentState, task: TaskState): string {
  if (task.starts === 0) return `[${agent.id}]: Starting ${task.title}`;
  if (agent.driver === "shell") {
    return `[${agent.id}]: Running ${task.title} again from the start (a shell command cannot continue where it stopped; its worktree keeps what it wrote)`;
  }
  const session = agent.sessionId
    ? ` (session ${agent.sessionId.slice(0, 8)}…)`
    : "";
  return `[${agent.id}]: Continuing ${task.title}${session}`;
}
