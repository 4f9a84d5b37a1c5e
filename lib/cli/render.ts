/**
 * How the query results look for people: the list table, the status
 * screen, the agent table and message lines. Formatting only — every number
 * comes from lib/engine/queries.ts.
 *
 * @module
 */

import type {
  AgentView,
  MessageView,
  OrchestrationStatus,
  OrchestrationSummary,
} from "../engine/queries.ts";
import {
  colors,
  formatDuration,
  messageIcon,
  type MessageType,
  progressBar,
  relativeTime,
  renderTable,
  type Status,
  statusIcon,
  statusLabel,
  truncate,
} from "../ui/mod.ts";
import { clockTime, formatCost, plural, shortId } from "./_util.ts";

export function renderOrchestrationList(
  rows: OrchestrationSummary[],
  now: Date,
): string {
  const c = colors();
  return renderTable(
    ["ID", "Request", "Status", "Agents", "Messages", "Cost", "Created"],
    rows.map((o) => [
      shortId(o.id),
      truncate(o.request.replace(/\s+/g, " "), 40),
      statusLabel(o.status, c),
      String(o.agents),
      String(o.messages),
      formatCost(o.cost),
      relativeTime(o.createdAt, now),
    ]),
    { color: c.enabled },
  );
}

export function renderAgentTable(agents: AgentView[]): string {
  const c = colors();
  return renderTable(
    ["Agent", "Role", "Driver", "Status", "Session", "Messages", "Cost"],
    agents.map((a) => [
      a.id,
      a.role,
      a.driver,
      statusLabel(a.status, c),
      a.sessionId ? truncate(a.sessionId, 14) : c.dim("—"),
      String(a.messages),
      formatCost(a.cost),
    ]),
    { color: c.enabled },
  );
}

/** `💡 [analyst-001 → all] content` */
export function messageLine(message: MessageView): string {
  const c = colors();
  const to = message.to ?? "all";
  return `${messageIcon(message.type as MessageType)} ${
    c.bold(`[${message.from} → ${to}]`)
  } ${message.content}`;
}

/** A message with its seq and time, as `message list` prints it. */
export function messageHistoryLine(message: MessageView): string {
  const c = colors();
  return `${c.dim(`#${message.seq} ${clockTime(message.at)}`)} ${
    messageLine(message)
  }`;
}

export interface StatusSections {
  agents: boolean;
  tasks: boolean;
  messages: boolean;
}

/** The `status` screen: header, progress, then the chosen sections and a summary. */
export function renderStatus(
  s: OrchestrationStatus,
  sections: StatusSections,
  now: Date,
): string {
  const c = colors();
  const out: string[] = [];
  out.push(
    `${c.bold("Orchestration")} ${s.id}  ${statusLabel(s.status, c)}`,
    `${c.dim("Request: ")} ${s.request}`,
    `${c.dim("Created: ")} ${relativeTime(s.createdAt, now)} · ran ${
      formatDuration(s.durationMs)
    } · last activity ${relativeTime(s.updatedAt, now)}`,
    `${c.dim("Progress:")} ${
      progressBar(s.progress.completed, s.progress.total, 24)
    }`,
  );
  if (sections.agents && s.agents.length > 0) {
    out.push("", c.bold("Agents"), renderAgentTable(s.agents));
  }
  if (sections.tasks && s.tasks.length > 0) {
    out.push("", c.bold("Tasks"));
    const idWidth = Math.max(...s.tasks.map((t) => t.id.length));
    const agentWidth = Math.max(...s.tasks.map((t) => t.agent.length));
    for (const t of s.tasks) {
      const pct = t.status === "running" || t.status === "interrupted" ||
          t.status === "paused"
        ? ` ${t.progress}%`
        : "";
      const after = t.dependsOn.length > 0
        ? c.dim(` (after ${t.dependsOn.join(", ")})`)
        : "";
      out.push(
        `  ${statusIcon(t.status as Status)} ${t.id.padEnd(idWidth)}  ${
          c.dim(t.agent.padEnd(agentWidth))
        }  ${t.title}${pct}${after}`,
      );
    }
  }
  if (sections.messages) {
    out.push("", c.bold("Recent messages"));
    if (s.recentMessages.length === 0) out.push(c.dim("  (none yet)"));
    for (const m of s.recentMessages) out.push(`  ${messageHistoryLine(m)}`);
  }
  out.push(
    "",
    `${c.dim("Summary:")} ${s.progress.completed}/${s.progress.total} tasks · ${
      plural(s.agents.length, "agent")
    } · ${plural(s.messages, "message")} · cost ${formatCost(s.cost)}`,
  );
  if (s.status === "paused" || s.status === "interrupted") {
    out.push(
      c.yellow(`Resume with: maos orchestration resume ${shortId(s.id)}`),
    );
  }
  return out.join("\n");
}
