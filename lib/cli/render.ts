/**
 * How the query results look for people: the list table, the status
 * screen, the agent table and message lines. Formatting only — every number
 * comes from lib/queries/queries.ts.
 *
 * @module
 */

import type {
  AgentView,
  MessageView,
  OrchestrationStatus,
  OrchestrationSummary,
} from "../queries/queries.ts";
import { FETCH_HINT } from "../workspace/names.ts";
import {
  colors,
  formatDuration,
  graphemes,
  messageIcon,
  type MessageType,
  plural,
  printable,
  progressBar,
  relativeTime,
  renderTable,
  type Status,
  statusIcon,
  statusLabel,
  truncate,
} from "../ui/mod.ts";
import {
  clockTime,
  formatCost,
  formatSpend,
  formatTokenPair,
  formatTokens,
  shortId,
} from "./_util.ts";
import type { BudgetView } from "../queries/budget.ts";

/**
 * How much of a message the console shows; the rest is named with a pointer
 * to `--json`, which always has all of it.
 */
export const MESSAGE_PREVIEW_CHARS = 300;

/**
 * Text from a plan, an agent or a person, on one line and safe for a
 * terminal: whitespace runs (line breaks too) become one space.
 */
export function oneLine(text: string): string {
  return printable(text.replace(/\s+/g, " ").trim());
}

export function renderOrchestrationList(
  rows: OrchestrationSummary[],
  now: Date,
): string {
  const c = colors();
  return renderTable(
    ["ID", "Request", "Status", "Agents", "Messages", "Cost", "Created"],
    rows.map((o) => [
      shortId(o.id),
      truncate(oneLine(o.request), 40),
      o.status === "damaged"
        ? `💥 ${c.red("damaged")}`
        : statusLabel(o.status, c),
      String(o.agents),
      String(o.messages),
      costCell(o.cost, o.inputTokens + o.outputTokens),
      relativeTime(o.createdAt, now),
    ]),
    { color: c.enabled },
  );
}

export function renderAgentTable(agents: AgentView[]): string {
  const c = colors();
  return renderTable(
    [
      "Agent",
      "Role",
      "Driver",
      "Status",
      "Session",
      "Messages",
      "Cost",
      "Tokens",
    ],
    agents.map((a) => {
      const tokens = a.inputTokens + a.outputTokens;
      return [
        a.id,
        a.role,
        a.driver,
        statusLabel(a.status, c),
        a.sessionId ? truncate(oneLine(a.sessionId), 14) : c.dim("—"),
        String(a.messages),
        costCell(a.cost, tokens) +
        ((a.estimatedCost ?? 0) > 0 ? c.yellow(" (est.)") : ""),
        tokens > 0
          ? formatTokenPair(a.inputTokens, a.outputTokens)
          : c.dim("—"),
      ];
    }),
    { color: c.enabled },
  );
}

/** ` (of which $0.0012 estimated …)` when part of the cost is maos's own estimate. */
function estimateNote(estimated: number | undefined): string {
  if (!estimated) return "";
  return colors().yellow(
    ` (${formatCost(estimated)} of it estimated from streamed usage)`,
  );
}

/** `Budget:   $0.0312 of $1.00 spent (3%)` / `… 💰 reached`. */
function budgetLine(b: BudgetView): string {
  const c = colors();
  const parts: string[] = [];
  if (b.usd !== null) {
    parts.push(
      `${formatCost(b.spentUsd)} of $${b.usd.toFixed(2)} spent (${
        Math.floor(100 * b.spentUsd / b.usd)
      }%)`,
    );
  }
  if (b.tokens !== null) {
    parts.push(
      `${formatTokens(b.spentTokens)} of ${formatTokens(b.tokens)} tokens (${
        Math.floor(100 * b.spentTokens / b.tokens)
      }%)`,
    );
  }
  const reached = b.reached ? ` · ${c.yellow("💰 reached")}` : "";
  return `${c.dim("Budget:  ")} ${parts.join(" · ")}${reached}`;
}

/** ` --budget 2.00`: twice the budget that was reached, as a new total. */
function budgetResumeFlag(b: BudgetView): string {
  if (b.usd !== null && b.spentUsd >= b.usd) {
    return ` --budget ${(b.usd * 2).toFixed(2)}`;
  }
  return b.tokens !== null ? ` --budget-tokens ${b.tokens * 2}` : "";
}

/** Tokens but no dollars: a driver that reports none (Codex, unpriced) shows `—`, not `$0.0000`. */
function costCell(usd: number, tokens: number): string {
  return usd === 0 && tokens > 0 ? colors().dim("—") : formatCost(usd);
}

/**
 * `💡 [analyst-001 → all] content`: the content made printable, its further
 * lines indented, and cut after MESSAGE_PREVIEW_CHARS characters with a note
 * on how to read the whole message (`orchestrationId` is for that note).
 */
export function messageLine(
  message: ShownMessage,
  orchestrationId: string,
): string {
  const c = colors();
  const to = message.to ?? "all";
  const chars = graphemes(printable(message.content, { newlines: true }));
  let content = chars.slice(0, MESSAGE_PREVIEW_CHARS).join("").trimEnd();
  if (message.contentFile !== undefined) {
    content += c.dim(
      ` (${
        message.contentBytes ?? "?"
      } bytes in .maos/orchestrations/${orchestrationId}/${message.contentFile})`,
    );
  } else if (chars.length > MESSAGE_PREVIEW_CHARS) {
    const more = chars.length - MESSAGE_PREVIEW_CHARS;
    content += c.dim(
      `… (${plural(more, "more character")}; see: maos message list ${
        shortId(orchestrationId)
      } --json)`,
    );
  }
  return `${messageIcon(message.type as MessageType)} ${
    c.bold(`[${oneLine(message.from)} → ${oneLine(to)}]`)
  } ${content.replace(/\n/g, "\n   ")}`;
}

/** A message with its seq and time, as `message list` prints it. */
export function messageHistoryLine(
  message: ShownMessage,
  orchestrationId: string,
): string {
  const c = colors();
  // Not in the log yet (sent while paused): no seq, marked pending.
  const where = message.seq === null ? "(pending)" : `#${message.seq}`;
  return `${c.dim(`${where} ${clockTime(message.at)}`)} ${
    messageLine(message, orchestrationId)
  }`;
}

/** A logged message, or one still pending in the inbox (seq null). */
export type ShownMessage = Omit<MessageView, "seq"> & { seq: number | null };

export interface StatusSections {
  agents: boolean;
  tasks: boolean;
  messages: boolean;
}

/** The `status` screen: header, progress, then the chosen sections and a summary. */
/** One line per agent: its branch, and its changed, unmerged and uncommitted files. */
function renderAgentFiles(s: OrchestrationStatus): string[] {
  const c = colors();
  const list = (files: string[]) =>
    files.slice(0, 5).join(", ") +
    (files.length > 5 ? `, … (${files.length})` : "");
  const lines: string[] = [];
  const width = Math.max(...s.agents.map((a) => a.id.length));
  const branchWidth = Math.max(...s.agents.map((a) => (a.branch ?? "").length));
  for (const a of s.agents) {
    const changed = a.changedFiles ?? [];
    const unmerged = a.unmergedFiles ?? [];
    const dirty = a.uncommittedFiles ?? [];
    const parts = [
      a.branchRemoved && a.discarded
        ? `discarded (its work is kept in ${a.discarded})`
        : a.branchRemoved && a.notInClone
        ? `its branch is not in this clone; ${FETCH_HINT}`
        : a.branchRemoved && a.notStarted
        ? "not started yet (no branch or worktree)"
        : a.branchRemoved
        ? "branch and worktree removed (saved files stay in refs/maos)"
        : changed.length
        ? `changed ${list(changed)}`
        : "no changes committed",
    ];
    if (changed.length) {
      parts.push(
        unmerged.length ? c.yellow(`${unmerged.length} not merged`) : "merged",
      );
    }
    if (dirty.length) parts.push(c.yellow(`uncommitted: ${list(dirty)}`));
    lines.push(
      `  ${a.id.padEnd(width)}  ${
        c.dim((a.branch ?? "").padEnd(branchWidth))
      }  ${parts.join(" · ")}`,
    );
    if (a.worktree) {
      lines.push(c.dim(`  ${" ".repeat(width)}  worktree ${a.worktree}`));
    }
  }
  if (s.agents.some((a) => (a.unmergedFiles ?? []).length > 0)) {
    lines.push(
      c.dim(`  Merge with: maos orchestration merge ${shortId(s.id)}`),
    );
  }
  return lines;
}

export function renderStatus(
  s: OrchestrationStatus,
  sections: StatusSections,
  now: Date,
): string {
  const c = colors();
  const out: string[] = [];
  out.push(
    `${c.bold("Orchestration")} ${s.id}  ${statusLabel(s.status, c)}`,
    `${c.dim("Request: ")} ${printable(s.request, { newlines: true })}`,
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
  if (sections.agents && s.agents.some((a) => a.branch)) {
    out.push("", c.bold("Files"), ...renderAgentFiles(s));
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
        }  ${oneLine(t.title)}${pct}${after}`,
      );
      if (t.status === "failed") {
        out.push(
          `    ${c.red("why:")} ${
            oneLine(t.result?.summary ?? "(no reason was recorded)")
          }${
            t.starts
              ? c.dim(
                `  (output: maos agent logs ${
                  shortId(s.id)
                } ${t.agent} --task ${t.id})`,
              )
              : ""
          }`,
        );
      }
    }
  }
  if (sections.messages) {
    out.push("", c.bold("Recent messages"));
    if (s.recentMessages.length === 0) out.push(c.dim("  (none yet)"));
    for (const m of s.recentMessages) {
      out.push(`  ${messageHistoryLine(m, s.id)}`);
    }
  }
  out.push(
    "",
    `${c.dim("Summary:")} ${s.progress.completed}/${s.progress.total} tasks · ${
      plural(s.agents.length, "agent")
    } · ${plural(s.messages, "message")} · ${
      formatSpend(s.cost, s.inputTokens, s.outputTokens)
    }${s.plannerCost ? ` (planner ${formatCost(s.plannerCost)})` : ""}${
      estimateNote(s.estimatedCost)
    }`,
  );
  if (s.budget) out.push(budgetLine(s.budget));
  if (s.status === "paused" || s.status === "interrupted") {
    const more = s.budget?.reached ? budgetResumeFlag(s.budget) : "";
    out.push(
      c.yellow(
        `Resume with: maos orchestration resume ${shortId(s.id)}${more}`,
      ),
    );
  }
  return out.join("\n");
}
