import * as fs from "node:fs";
import { isoNow } from "../../store/event_log.ts";
import { JsonlAppender } from "../../store/jsonl_appender.ts";
import type { MaosPaths } from "../../store/paths.ts";

/** One line of agents/<agent-id>.jsonl. */
export interface OutputLine {
  at: string;
  task: string;
  line: string;
}

/** Pending output past this many characters is written at once. */
const FLUSH_CHARS = 64 * 1024;

interface AgentFile {
  file: JsonlAppender;
  /** Lines not written yet (JSONL text, each ending in a newline). */
  pending: string;
  task: string;
  /** `"task":"<id>"` of `task`, encoded once. */
  taskJson: string;
}

/**
 * Streams each agent's raw output to agents/<agent-id>.jsonl as it arrives:
 * the lines of one burst (one chunk an agent wrote) go down in one write,
 * before maos handles anything else, instead of one system call per line.
 */
export class AgentOutputs {
  private readonly files = new Map<string, AgentFile>();
  private flushQueued = false;

  constructor(
    private readonly paths: MaosPaths,
    private readonly orchestrationId: string,
    /** A write that failed after `append` returned (disk full): the run must stop. */
    private readonly onError: (err: unknown) => void = (err) => {
      throw err;
    },
  ) {}

  append(agentId: string, taskId: string, line: string): void {
    let out = this.files.get(agentId);
    if (!out) {
      out = {
        file: new JsonlAppender(
          this.paths.agentOutput(this.orchestrationId, agentId),
        ),
        pending: "",
        task: "",
        taskJson: "",
      };
      this.files.set(agentId, out);
    }
    if (out.task !== taskId) {
      out.task = taskId;
      out.taskJson = `"task":${JSON.stringify(taskId)}`;
    }
    // The bytes of JSON.stringify({ at, task, line }), built without the object.
    out.pending += `{"at":"${isoNow()}",${out.taskJson},"line":${
      JSON.stringify(line)
    }}\n`;
    if (out.pending.length >= FLUSH_CHARS) {
      this.write(out);
    } else if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flushAll());
    }
  }

  /** Write what is pending now (a failure goes to `onError`). */
  flushAll(): void {
    this.flushQueued = false;
    for (const out of this.files.values()) {
      try {
        this.write(out);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  /** Write what is pending, sync and close every file; a failed write is thrown. */
  closeAll(): void {
    this.flushQueued = false;
    let failure: unknown;
    for (const out of this.files.values()) {
      try {
        this.write(out);
      } catch (err) {
        failure ??= err;
      }
      out.file.close();
    }
    this.files.clear();
    if (failure) throw failure;
  }

  private write(out: AgentFile): void {
    if (!out.pending) return;
    const text = out.pending;
    out.pending = "";
    out.file.appendText(text);
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
