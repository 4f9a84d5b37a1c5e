/**
 * Move an orchestration between `.maos/` directories as one portable file:
 * its snapshot, its log, its agents' output and its inbox, with a checksum.
 *
 * @module
 */

import * as fs from "node:fs";
import * as path from "node:path";
import {
  ensureDir,
  fsyncDir,
  writeFileAtomic,
} from "../../store/atomic_write.ts";
import {
  corruptError,
  errnoCode,
  ExitCode,
  MaosError,
  usageError,
} from "../../store/errors.ts";
import { LOG_START, scanLog } from "../../store/event_log.ts";
import { newId } from "../../store/ids.ts";
import { toJsonText } from "../../store/json_file.ts";
import { MaosPaths } from "../../store/paths.ts";
import {
  describeZodError,
  EventSchema,
  FORMAT_VERSION,
  type OrchestrationExport,
  OrchestrationExportSchema,
  type OrchestrationState,
  type SnapshotFile,
  SnapshotFileSchema,
} from "../../store/schema.ts";
import { readInputText, writableTarget } from "./file_args.ts";
import { foldEvent } from "../queries/state_fold.ts";

export const EXPORT_KIND = "maos-orchestration-export";

const AGENT_ID = /^[a-z][a-z0-9_-]{0,40}$/;
const ATTACHMENT = /^[0-9a-f]{12}\.txt$/;

export interface TransferResult {
  id: string;
  file: string;
  request: string;
  status: OrchestrationState["status"];
  events: number;
  agents: number;
}

/**
 * Write orchestration `id` to `file` (relative to `cwd`). Safe while it
 * runs: the snapshot is read before the log, and only whole lines of the
 * log are taken, so the two always agree.
 */
export async function exportOrchestration(
  paths: MaosPaths,
  id: string,
  file: string,
  cwd: string,
): Promise<TransferResult> {
  const target = writableTarget(file, cwd);
  const stateText = readText(paths.state(id));
  const scan = scanLog(paths.events(id), LOG_START, () => {});
  if (scan.end.seq === 0) {
    throw usageError(`orchestration ${id} has no events yet`);
  }
  const events = new TextDecoder().decode(
    fs.readFileSync(paths.events(id)).subarray(0, scan.end.offset),
  );
  const folded = foldEventsText(
    events,
    (reason) => corruptError(`${paths.events(id)}: ${reason}`),
  );
  const doc: Omit<OrchestrationExport, "checksum"> = {
    formatVersion: FORMAT_VERSION,
    kind: EXPORT_KIND,
    exportedAt: new Date().toISOString(),
    id,
    state: usableSnapshot(stateText, folded) ?? {
      // state.json is a cache of the log: when it is missing or stale, rebuild it.
      formatVersion: FORMAT_VERSION,
      state: folded.state,
      logOffset: scan.end.offset,
    },
    events,
    agents: readFolder(paths.agentsDir(id), (name) => {
      const agent = name.endsWith(".jsonl") ? name.slice(0, -6) : "";
      return AGENT_ID.test(agent) ? agent : undefined;
    }),
  };
  const inbox = readText(paths.inbox(id));
  if (inbox !== undefined) doc.inbox = inbox;
  const attachments = readFolder(
    paths.attachments(id),
    (name) => ATTACHMENT.test(name) ? name : undefined,
  );
  if (Object.keys(attachments).length) doc.attachments = attachments;
  const checksum = await checksumOf(doc);
  writeFileAtomic(target, toJsonText({ ...doc, checksum }));
  return {
    id,
    file: target,
    request: doc.state.state.request,
    status: doc.state.state.status,
    events: folded.count,
    agents: Object.keys(doc.agents).length,
  };
}

/** The raw state.json, kept as it is (byte-for-byte on import) when it matches the log. */
function usableSnapshot(
  text: string | undefined,
  folded: FoldedLog,
): SnapshotFile | undefined {
  if (text === undefined) return undefined;
  try {
    const raw = JSON.parse(text);
    const snapshot = SnapshotFileSchema.parse(raw);
    return snapshotMatches(snapshot, folded) ? raw : undefined;
  } catch {
    return undefined;
  }
}

function snapshotMatches(snapshot: SnapshotFile, folded: FoldedLog): boolean {
  const seq = snapshot.state.lastSeq;
  return seq >= 1 && folded.lineEnds[seq - 1] === snapshot.logOffset;
}

/**
 * Bring an exported orchestration into this `.maos/`. The file is checked
 * whole first (schema, checksum, every event, the snapshot against the
 * log), then written into a temp folder that is renamed into place, so a
 * failed import leaves nothing behind. An id already present is refused.
 */
export async function importOrchestration(
  paths: MaosPaths,
  file: string,
  cwd: string,
): Promise<TransferResult> {
  const source = path.resolve(cwd, file);
  const doc = await readExport(source);
  const { id } = doc;
  const { state, count } = verifyContents(source, doc);
  const dest = paths.orchestration(id);
  if (fs.existsSync(dest)) {
    throw alreadyPresent(id, dest);
  }
  ensureDir(paths.orchestrations);
  const tempRoot = path.join(paths.root, `.import-${newId()}.tmp`);
  try {
    const temp = new MaosPaths(tempRoot);
    ensureDir(temp.agentsDir(id));
    writeFileAtomic(temp.events(id), doc.events);
    writeFileAtomic(temp.state(id), toJsonText(doc.state));
    for (const [agent, text] of Object.entries(doc.agents)) {
      writeFileAtomic(temp.agentOutput(id, agent), text);
    }
    if (doc.inbox !== undefined) writeFileAtomic(temp.inbox(id), doc.inbox);
    for (const [name, text] of Object.entries(doc.attachments ?? {})) {
      ensureDir(temp.attachments(id));
      writeFileAtomic(path.join(temp.attachments(id), name), text);
    }
    if (fs.existsSync(dest)) throw alreadyPresent(id, dest);
    // One rename: the orchestration appears whole or not at all.
    fs.renameSync(temp.orchestration(id), dest);
    fsyncDir(paths.orchestrations);
  } finally {
    fs.rmSync(tempRoot, { recursive: true, force: true });
  }
  return {
    id,
    file: source,
    request: state.request,
    status: state.status,
    events: count,
    agents: Object.keys(doc.agents).length,
  };
}

async function readExport(source: string): Promise<OrchestrationExport> {
  const text = readInputText(source);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw damaged(source, `not valid JSON (${(err as Error).message})`);
  }
  const top = raw as Record<string, unknown> | null;
  if (!top || typeof top !== "object" || top.kind !== EXPORT_KIND) {
    throw usageError(
      `${source} is not a maos orchestration export`,
      "make one with: maos orchestration export ID FILE",
    );
  }
  if (
    typeof top.formatVersion === "number" && top.formatVersion > FORMAT_VERSION
  ) {
    throw usageError(
      `${source} was written by a newer maos (format ${top.formatVersion})`,
      "upgrade maos to import it",
    );
  }
  const parsed = OrchestrationExportSchema.safeParse(raw);
  if (!parsed.success) {
    throw damaged(source, describeZodError(parsed.error));
  }
  // Over the raw JSON, so a field this maos does not know still counts.
  const { checksum, ...rest } = top;
  if (await checksumOf(rest) !== checksum) {
    throw damaged(source, "checksum mismatch");
  }
  return parsed.data;
}

/** Every event parses, in order, and the snapshot points at a line end of the log. */
function verifyContents(
  source: string,
  doc: OrchestrationExport,
): { state: OrchestrationState; count: number } {
  if (doc.state.state.id !== doc.id) {
    throw damaged(source, `state is of ${doc.state.state.id}, not ${doc.id}`);
  }
  if (!doc.events.endsWith("\n")) {
    throw damaged(source, "the event log ends in a partial line");
  }
  const folded = foldEventsText(
    doc.events,
    (reason) => damaged(source, reason),
  );
  if (folded.state.id !== doc.id) {
    throw damaged(source, `the log does not create orchestration ${doc.id}`);
  }
  if (!snapshotMatches(doc.state, folded)) {
    throw damaged(source, "the snapshot does not match the event log");
  }
  return folded;
}

interface FoldedLog {
  state: OrchestrationState;
  count: number;
  /** Byte offset just after the line of event n, at index n - 1. */
  lineEnds: number[];
}

/** Parse and fold whole lines of a log; any bad line is `problem(reason)`. */
function foldEventsText(
  text: string,
  problem: (reason: string) => Error,
): FoldedLog {
  const encoder = new TextEncoder();
  let state: OrchestrationState | undefined;
  const lineEnds: number[] = [];
  let offset = 0;
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : [];
  lines.forEach((line, index) => {
    const where = `event line ${index + 1}`;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw problem(`${where} is not valid JSON`);
    }
    const parsed = EventSchema.safeParse(raw);
    if (!parsed.success) {
      throw problem(`${where}: ${describeZodError(parsed.error)}`);
    }
    if (parsed.data.seq !== index + 1) {
      throw problem(`${where} has seq ${parsed.data.seq}`);
    }
    try {
      state = foldEvent(state, parsed.data);
    } catch (err) {
      throw problem(`${where}: ${(err as Error).message}`);
    }
    offset += encoder.encode(line).length + 1;
    lineEnds.push(offset);
  });
  if (!state) throw problem("the event log is empty");
  return { state, count: lines.length, lineEnds };
}

function alreadyPresent(id: string, dest: string): MaosError {
  return new MaosError(
    `orchestration ${id} is already present (${dest})`,
    ExitCode.usage,
    "nothing was changed; it was probably imported before",
  );
}

function damaged(source: string, reason: string): MaosError {
  return corruptError(
    `${source} is damaged: ${reason}`,
    "nothing was imported; export it again from the original",
  );
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return undefined;
    throw err;
  }
}

/** Files of `dir` by the key `keyOf` gives their name (undefined: skip the file). */
function readFolder(
  dir: string,
  keyOf: (name: string) => string | undefined,
): Record<string, string> {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const name of names) {
    const key = keyOf(name);
    if (key !== undefined) {
      out[key] = fs.readFileSync(path.join(dir, name), "utf8");
    }
  }
  return out;
}

/** sha-256 (hex) of the canonical JSON: keys sorted, so formatting does not matter. */
export async function checksumOf(value: unknown): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(canonicalJson(value)),
  );
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return `{${
      Object.keys(record).sort()
        .filter((key) => record[key] !== undefined)
        .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
        .join(",")
    }}`;
  }
  return JSON.stringify(value);
}
