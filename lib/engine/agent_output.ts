import * as fs from "node:fs";
import { JsonlAppender } from "../../store/jsonl_appender.ts";
import type { MaosPaths } from "../../store/paths.ts";

/** One line of agents/<agent-id>.jsonl. */
export interface OutputLine {
  at: string;
  task: string;
  line: string;
}

/** Streams each agent's raw output to agents/<agent-id>.jsonl as it arrives. */
export class AgentOutputs {
  private readonly files = new Map<string, JsonlAppender>();

  constructor(
    private readonly paths: MaosPaths,
    private readonly orchestrationId: string,
  ) {}

  append(agentId: string, taskId: string, line: string): void {
    let file = this.files.get(agentId);
    if (!file) {
      file = new JsonlAppender(
        this.paths.agentOutput(this.orchestrationId, agentId),
      );
      this.files.set(agentId, file);
    }
    const record: OutputLine = {
      at: new Date().toISOString(),
      task: taskId,
      line,
    };
    file.append(record);
  }

  closeAll(): void {
    for (const file of this.files.values()) file.close();
    this.files.clear();
  }
}

/**
 * The last lines a task produced, read from the end of the agent's output
 * file: what an interrupted agent is told it had done so far.
 */
export function readTaskOutputTail(
  paths: MaosPaths,
  orchestrationId: string,
  agentId: string,
  taskId: string,
  maxLines = 20,
): string[] {
  let text: string;
  try {
    const file = paths.agentOutput(orchestrationId, agentId);
    const fd = fs.openSync(file, "r");
    try {
      const size = fs.fstatSync(fd).size;
      const length = Math.min(size, 256 * 1024);
      const bytes = new Uint8Array(length);
      fs.readSync(fd, bytes, 0, length, size - length);
      text = new TextDecoder().decode(bytes);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return [];
  }
  const lines: string[] = [];
  for (const raw of text.split("\n")) {
    try {
      const record = JSON.parse(raw) as OutputLine;
      if (record.task === taskId && typeof record.line === "string") {
        lines.push(record.line);
      }
    } catch { /* the first (cut) or a torn last line */ }
  }
  return lines.slice(-maxLines);
}

/** What an interrupted task is told it had produced so far. */
export function resumeNoteFrom(
  lines: string[],
  previous: string | null,
): string {
  const recent = lines.join("\n").trim();
  if (!recent) return previous ?? "(no output yet)";
  const note = previous ? `${previous}\n…\n${recent}` : recent;
  // Repeated interruptions must not grow the note (and every later event) without bound.
  return note.length > 4000 ? "…" + note.slice(-4000) : note;
}
