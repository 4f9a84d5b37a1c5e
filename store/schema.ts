/**
 * Every file maos reads from disk (and every plan file) is parsed with one of
 * these schemas. `formatVersion` is in each top-level JSON file so a later
 * maos can migrate an older `.maos/`.
 */
import { z } from "zod";
import en from "zod/v4/locales/en.js";

// Bundlers (bun build --compile) may drop zod's default English messages as
// unused; set them explicitly so errors say "expected array", not "Invalid input".
z.config(en());

export const FORMAT_VERSION = 1;
/** A day: longer intervals overflow timers and would save too rarely anyway. */
export const MAX_SAVE_INTERVAL_SECONDS = 86_400;

const formatVersion = z.literal(FORMAT_VERSION);
const isoTime = z.string().min(1);
const hexId = z.string().regex(
  /^[0-9a-f]{12}$/,
  "expected a 12-hex-character id",
);
/** A git object id (sha-1 or sha-256, lowercase hex). */
const gitCommit = z.string().regex(
  /^[0-9a-f]{40}([0-9a-f]{24})?$/,
  "expected a git commit id",
);
const name = z.string().regex(
  /^[a-z][a-z0-9_-]{0,40}$/,
  "use lowercase letters, digits, '-' or '_' (start with a letter)",
);

export const DurabilitySchema = z.enum(["strict", "batched", "relaxed"]);
export type Durability = z.infer<typeof DurabilitySchema>;

export const MessageKindSchema = z.enum([
  "discovery",
  "request",
  "broadcast",
  "info",
  "error",
]);
export type MessageKind = z.infer<typeof MessageKindSchema>;
/** The five kinds of message, in the order help and errors list them. */
export const MESSAGE_KINDS: readonly MessageKind[] = MessageKindSchema.options;
export const RunStatusSchema = z.enum([
  "running",
  "paused",
  "completed",
  "failed",
]);
export const WorkStatusSchema = z.enum([
  "pending",
  "running",
  "paused",
  "interrupted",
  "completed",
  "failed",
]);
export type RunStatus = z.infer<typeof RunStatusSchema>;
export type WorkStatus = z.infer<typeof WorkStatusSchema>;

// ---------------------------------------------------------------- config

export const CodexSandboxSchema = z.enum([
  "read-only",
  "workspace-write",
  "danger-full-access",
]);
export type CodexSandbox = z.infer<typeof CodexSandboxSchema>;

/** Claude Code's `--permission-mode` values (2.1.197). */
export const CLAUDE_PERMISSION_MODES = [
  "default",
  "acceptEdits",
  "bypassPermissions",
  "plan",
  "dontAsk",
  "auto",
] as const;
export const ClaudePermissionModeSchema = z.enum(CLAUDE_PERMISSION_MODES);

/**
 * What an agent may do without asking (DESIGN.md §4c): tool rules in Claude
 * Code's syntax (`Bash(npm test:*)`, `Edit`), a Claude permission mode and a
 * Codex sandbox. The rules' syntax is checked by lib/approvals/rules.ts when
 * a plan or maos.json is read, so the error can name the agent.
 */
export const PermissionsSchema = z.strictObject({
  allow: z.array(z.string()).optional(),
  deny: z.array(z.string()).optional(),
  mode: ClaudePermissionModeSchema.optional(),
  sandbox: CodexSandboxSchema.optional(),
});
export type Permissions = z.infer<typeof PermissionsSchema>;

/**
 * USD per million tokens; cached input (cache reads) at `cachedInputPerMTok`
 * (default: the input price), cache writes at `cacheWritePerMTok` (default:
 * the input price).
 */
export const TokenPricingSchema = z.strictObject({
  inputPerMTok: z.number().min(0),
  outputPerMTok: z.number().min(0),
  cachedInputPerMTok: z.number().min(0).optional(),
  cacheWritePerMTok: z.number().min(0).optional(),
});
export type TokenPricing = z.infer<typeof TokenPricingSchema>;

/** A message body above this many bytes is kept in a file the event names. */
export const MESSAGE_MAX_INLINE_BYTES = 64 * 1024;
/** A message body above this many bytes is refused (it is a file, not a message). */
export const MESSAGE_MAX_BYTES = 1024 * 1024;
/** A path inside the project: relative, no "..", no .git or .maos in it. */
const projectPath = z.string().min(1).refine(
  (p) =>
    !p.startsWith("/") &&
    !p.split(/[\\/]/).some((part) =>
      part === ".." || part === ".git" || part === ".maos"
    ),
  "use a path inside the project (relative, no '..', not .git or .maos)",
);
export const WorktreesConfigSchema = z.object({
  setup: z.array(z.string().min(1)).default([]),
  copy: z.array(projectPath).default([]),
}).default({ setup: [], copy: [] });

export const ConfigSchema = z.object({
  formatVersion,
  saveIntervalSeconds: z.number().positive().max(MAX_SAVE_INTERVAL_SECONDS)
    .default(30),
  durability: DurabilitySchema.default("batched"),
  /** A budget for every new orchestration that sets none (lib/engine/budget_guard.ts); null: none. */
  budgetUsd: z.number().positive().nullable().default(null),
  budgetTokens: z.number().int().positive().nullable().default(null),
  /** The live view says once that an agent printed nothing for this long. */
  stallWarnSeconds: z.number().positive().default(60),
  /** A turn that runs longer is stopped and its task fails (resumable). */
  turnTimeoutSeconds: z.number().positive().default(1800),
  /** The planner's request is stopped after this long (the default team works). */
  planTimeoutSeconds: z.number().positive().default(300),
  /** How often an agent CLI retries a model it cannot reach (Claude, Codex, Gemini: + 1 attempts). */
  modelRetries: z.number().int().min(0).max(10).default(2),
  checkpoints: z.object({ keepAuto: z.number().int().min(1).default(20) })
    .default({
      keepAuto: 20,
    }),
  drivers: z.object({
    default: z.string().optional(),
    claude: z.object({
      bin: z.string().optional(),
      permissionMode: z.string().optional(),
      model: z.string().optional(),
      /** Defaults for every claude agent, under the plan's own. */
      permissions: PermissionsSchema.optional(),
      /**
       * Prices by model name prefix (longest match wins) for what a cut run
       * streamed; Claude Code's own table is used for models not listed.
       */
      pricing: z.record(z.string().min(1), TokenPricingSchema).optional(),
    }).default({}),
    codex: z.object({
      bin: z.string().optional(),
      model: z.string().optional(),
      /** `codex exec -s`: what the agent's commands may touch. */
      sandbox: CodexSandboxSchema.optional(),
      /** Codex reports tokens, not dollars: with prices here, maos computes a cost. */
      pricing: TokenPricingSchema.optional(),
      /** Defaults for every codex agent (`sandbox`), under the plan's own. */
      permissions: PermissionsSchema.optional(),
    }).default({}),
    gemini: z.object({
      bin: z.string().optional(),
      /** `-m`; without it the Gemini CLI routes between its models itself. */
      model: z.string().optional(),
      /** `security.auth.selectedType` in the agent's settings; default "gemini-api-key". */
      authType: z.string().min(1).optional(),
      /** Tries of one API call before the task fails; default modelRetries + 1 (the CLI alone retries for minutes). */
      maxAttempts: z.number().int().min(1).max(10).optional(),
      /** The Gemini CLI reports tokens, not dollars: with prices here, maos computes a cost. */
      pricing: TokenPricingSchema.optional(),
      /** Defaults for every gemini agent, under the plan's own. */
      permissions: PermissionsSchema.optional(),
    }).default({}),
    exec: z.object({
      command: z.array(z.string()).min(1).optional(),
      promptVia: z.enum(["stdin", "arg"]).default("stdin"),
    }).default({ promptVia: "stdin" }),
  }).default({
    claude: {},
    codex: {},
    gemini: {},
    exec: { promptVia: "stdin" },
  }),
  /** Defaults for every agent, under the driver's and the plan's. */
  permissions: PermissionsSchema.optional(),
  /** How long a tool call waits for a person's answer before the agent's turn ends. */
  approvals: z.object({
    waitSeconds: z.number().min(0).max(MAX_SAVE_INTERVAL_SECONDS).default(120),
  }).default({ waitSeconds: 120 }),
  /** Agents' messages: longer than maxInlineBytes go to a file, longer than maxBytes are refused. */
  messages: z.object({
    maxInlineBytes: z.number().int().min(256).default(
      MESSAGE_MAX_INLINE_BYTES,
    ),
    maxBytes: z.number().int().min(256).default(MESSAGE_MAX_BYTES),
  }).default({
    maxInlineBytes: MESSAGE_MAX_INLINE_BYTES,
    maxBytes: MESSAGE_MAX_BYTES,
  }),
  /** What each new agent worktree gets: `copy` (paths from the project), then `setup` commands. */
  worktrees: WorktreesConfigSchema,
});
export type Config = z.infer<typeof ConfigSchema>;

export function defaultConfig(): Config {
  return ConfigSchema.parse({ formatVersion: FORMAT_VERSION });
}

// ---------------------------------------------------------------- plan

export const PlanAgentSchema = z.strictObject({
  id: name,
  role: z.string().min(1),
  driver: z.string().min(1).optional(),
  instructions: z.string().default(""),
  permissions: PermissionsSchema.optional(),
});
export const PlanTaskSchema = z.strictObject({
  id: name,
  agent: name,
  title: z.string().min(1),
  description: z.string().default(""),
  dependsOn: z.array(name).default([]),
  run: z.string().min(1).optional(),
});
export const PlanSchema = z.strictObject({
  agents: z.array(PlanAgentSchema).min(1),
  tasks: z.array(PlanTaskSchema).min(1),
});
export type PlanAgent = z.infer<typeof PlanAgentSchema>;
export type PlanTask = z.infer<typeof PlanTaskSchema>;
export type Plan = z.infer<typeof PlanSchema>;

// ---------------------------------------------------------------- state

/** A CLI's running token counters for one session (Codex reports these). */
export const SessionTotalsSchema = z.object({
  inputTokens: z.number().int().min(0),
  cachedInputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
});

export const AgentStateSchema = z.object({
  id: name,
  role: z.string(),
  driver: z.string(),
  instructions: z.string(),
  status: WorkStatusSchema,
  sessionId: z.string().nullable(),
  messages: z.number().int().min(0),
  /** USD, summed over the agent's invocations (see the `cost` event). */
  cost: z.number().min(0),
  /** The part of `cost` maos priced itself from streamed usage (a cut run); absent when none. */
  estimatedCost: z.number().min(0).optional(),
  /** Tokens summed over the agent's invocations; 0 in a state written before they were kept. */
  inputTokens: z.number().int().min(0).default(0),
  outputTokens: z.number().int().min(0).default(0),
  /** The session's counters at its last `cost` event; dropped when the session changes. */
  sessionTotals: SessionTotalsSchema.optional(),
  /** The agent's newest files commit (worktree isolation), see `agent.files`. */
  files: z.object({ commit: gitCommit, head: gitCommit.nullable() })
    .optional(),
  /** The plan's permissions for this agent. */
  permissions: PermissionsSchema.optional(),
  /** Rules added by `maos approval grant --always`, for the rest of the orchestration. */
  alwaysAllow: z.array(z.string()).optional(),
  /** Tool calls its CLI refused (`permission.denied`). */
  refused: z.number().int().min(0).optional(),
  /** The hashes of its recent turns' MAOS_AGENT_TOKEN, newest last (agent_token.ts). */
  turnTokens: z.array(z.object({ hash: z.string(), task: name })).optional(),
});
export const TaskStateSchema = z.object({
  id: name,
  agent: name,
  title: z.string(),
  description: z.string(),
  dependsOn: z.array(name),
  run: z.string().optional(),
  status: WorkStatusSchema,
  progress: z.number().min(0).max(100),
  summary: z.string().nullable(),
  /** How many times the task was started: completed tasks never start again. */
  starts: z.number().int().min(0),
  /** What an interrupted run had produced, told to the agent when it runs again. */
  resumeNote: z.string().nullable(),
  /** Tool calls its agent's CLI refused during the task (the first few kept). */
  refusals: z.array(z.object({ tool: z.string(), input: z.string() }))
    .optional(),
  /** How many were refused in all. */
  refused: z.number().int().min(0).optional(),
});
export type AgentState = z.infer<typeof AgentStateSchema>;
export type TaskState = z.infer<typeof TaskStateSchema>;

/** A tool call's input as the log keeps it: strings cut short, so lines stay small. */
export const ToolInputSchema = z.record(z.string(), z.unknown());

export const ApprovalStatusSchema = z.enum(["pending", "granted", "denied"]);
export type ApprovalStatus = z.infer<typeof ApprovalStatusSchema>;

/** What a request says: its number, who asks, in which task, for which call. */
const approvalRequestFields = {
  n: z.number().int().positive(),
  requestId: z.string(),
  agent: name,
  task: z.string(),
  tool: z.string(),
  input: ToolInputSchema,
  /** Identifies the call (tool + whole input) so a grant applies to that call only. */
  callKey: z.string(),
};

const { n: _n, agent: _agent, ...requestLineFields } = approvalRequestFields;

/** What a person's answer says (in the inbox line and in the event). */
const approvalDecisionFields = {
  n: z.number().int().positive(),
  decision: z.enum(["granted", "denied"]),
  always: z.boolean().optional(),
  /** With `always`: the rule added to the agent's permissions. */
  rule: z.string().optional(),
  reason: z.string().optional(),
  by: z.string().optional(),
};

/** One permission request of an agent and what became of it (`approval.*` events). */
export const ApprovalStateSchema = z.object({
  ...approvalRequestFields,
  status: ApprovalStatusSchema,
  requestedAt: isoTime,
  decidedAt: isoTime.nullable(),
  always: z.boolean().optional(),
  reason: z.string().optional(),
  by: z.string().optional(),
  /** The agent stopped waiting (approvals.waitSeconds): its turn ended without the answer. */
  expired: z.boolean().optional(),
  /** A grant that came after the wait was used by the agent's repeated call. */
  used: z.boolean().optional(),
  /** The agent was told the decision at the start of a later turn. */
  told: z.boolean().optional(),
});
export type ApprovalState = z.infer<typeof ApprovalStateSchema>;

/** How the agents' files are kept apart (DESIGN §4b), see `orchestration.isolation`. */
export const IsolationSchema = z.enum(["worktree", "shared"]);
export type Isolation = z.infer<typeof IsolationSchema>;

/** The fold of the log: everything needed to show or resume an orchestration. */
export const OrchestrationStateSchema = z.object({
  id: hexId,
  request: z.string(),
  status: RunStatusSchema,
  driver: z.string(),
  maxParallel: z.number().int().min(1),
  saveIntervalSeconds: z.number().positive().max(MAX_SAVE_INTERVAL_SECONDS)
    .nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  agents: z.array(AgentStateSchema),
  tasks: z.array(TaskStateSchema),
  messages: z.number().int().min(0),
  cost: z.number().min(0),
  /** The part of `cost` that is maos's estimate (see AgentState); absent when none. */
  estimatedCost: z.number().min(0).optional(),
  inputTokens: z.number().int().min(0).default(0),
  outputTokens: z.number().int().min(0).default(0),
  /** What the planner's request cost; in `cost` and the tokens, in no agent's. */
  plannerCost: z.object({
    costUsd: z.number().min(0),
    inputTokens: z.number().int().min(0),
    outputTokens: z.number().int().min(0),
  }).optional(),
  /** The spending limit set by `--budget`/`--budget-tokens` or maos.json; absent: none. */
  budget: z.object({
    usd: z.number().positive().nullable(),
    tokens: z.number().int().positive().nullable(),
  }).optional(),
  /** Bytes of inbox.jsonl already ingested into the log. */
  inboxOffset: z.number().int().min(0),
  lastSeq: z.number().int().min(0),
  /** Absent in orchestrations older than worktree isolation: they shared the tree. */
  isolation: z.object({ mode: IsolationSchema, base: gitCommit.nullable() })
    .optional(),
  /** The agents' permission requests, numbered from 1 (lib/approvals/). */
  approvals: z.array(ApprovalStateSchema).optional(),
});
export type OrchestrationState = z.infer<typeof OrchestrationStateSchema>;

/** state.json: the state plus where in events.jsonl it was taken. */
export const SnapshotFileSchema = z.object({
  formatVersion,
  state: OrchestrationStateSchema,
  /** Byte offset in events.jsonl just after the line of event `state.lastSeq`. */
  logOffset: z.number().int().min(0),
});
export type SnapshotFile = z.infer<typeof SnapshotFileSchema>;

// ---------------------------------------------------------------- events

const eventBase = { seq: z.number().int().positive(), at: isoTime };

export const EventSchema = z.discriminatedUnion("type", [
  z.object({
    ...eventBase,
    type: z.literal("orchestration.created"),
    id: hexId,
    request: z.string(),
    driver: z.string(),
    maxParallel: z.number().int().min(1),
    plan: PlanSchema,
    /**
     * How the agents' files are kept apart. In this first event, so a kill
     * right after it cannot leave a worktree orchestration that resumes as
     * shared; absent in logs from before worktrees (they shared the tree).
     */
    isolation: z.object({ mode: IsolationSchema, base: gitCommit.nullable() })
      .optional(),
  }),
  z.object({ ...eventBase, type: z.literal("orchestration.started") }),
  z.object({
    ...eventBase,
    type: z.literal("orchestration.resumed"),
    task: z.string().optional(),
  }),
  z.object({
    ...eventBase,
    type: z.literal("orchestration.paused"),
    reason: z.string(),
  }),
  z.object({ ...eventBase, type: z.literal("orchestration.completed") }),
  z.object({
    ...eventBase,
    type: z.literal("orchestration.failed"),
    reason: z.string(),
  }),
  z.object({
    ...eventBase,
    type: z.literal("orchestration.settings"),
    saveIntervalSeconds: z.number().positive().max(MAX_SAVE_INTERVAL_SECONDS)
      .nullable(),
  }),
  /** The budget from now on (a new total, not an increment); null: no limit of that kind. */
  z.object({
    ...eventBase,
    type: z.literal("orchestration.budget"),
    usd: z.number().positive().nullable(),
    tokens: z.number().int().positive().nullable(),
  }),
  z.object({
    ...eventBase,
    type: z.literal("agent.status"),
    agent: name,
    status: WorkStatusSchema,
  }),
  z.object({
    ...eventBase,
    type: z.literal("agent.session"),
    agent: name,
    sessionId: z.string().nullable(),
  }),
  z.object({
    ...eventBase,
    type: z.literal("task.added"),
    task: PlanTaskSchema,
  }),
  z.object({
    ...eventBase,
    type: z.literal("task.status"),
    task: name,
    status: WorkStatusSchema,
    summary: z.string().optional(),
    resumeNote: z.string().optional(),
    /**
     * On `running`: sha-256 of the secret MAOS_AGENT_TOKEN this turn's
     * processes got; inbox lines that claim the agent must carry one of its
     * tokens (agent_token.ts).
     */
    tokenHash: z.string().optional(),
  }),
  z.object({
    ...eventBase,
    type: z.literal("task.progress"),
    task: name,
    progress: z.number().min(0).max(100),
    /** What the agent said with it (MCP `report_progress`). */
    note: z.string().optional(),
    /** Set when the report came from inbox.jsonl: the inbox offset after its line. */
    inboxEnd: z.number().int().min(0).optional(),
  }),
  z.object({
    ...eventBase,
    type: z.literal("message"),
    from: z.string(),
    to: z.string().nullable(),
    kind: MessageKindSchema,
    content: z.string(),
    /** Set when the message came from inbox.jsonl: the inbox offset after its line. */
    inboxEnd: z.number().int().min(0).optional(),
    /**
     * A body above `messages.maxInlineBytes`: kept in this file (relative to
     * the orchestration), `content` is its start.
     */
    contentFile: z.string().optional(),
    /** With contentFile: the whole body's size in bytes. */
    contentBytes: z.number().int().min(0).optional(),
  }),
  /**
   * An inbox line not ingested: it claimed an agent without that agent's
   * token, named no agent of the orchestration, or reported progress on a
   * task not running for it. `maos doctor` reports these.
   */
  z.object({
    ...eventBase,
    type: z.literal("inbox.refused"),
    from: z.string(),
    kind: z.string(),
    reason: z.string(),
    inboxEnd: z.number().int().min(0),
  }),
  z.object({
    ...eventBase,
    type: z.literal("checkpoint.created"),
    checkpoint: hexId,
    name: z.string(),
    auto: z.boolean(),
    /** Taken on a request from the inbox (`maos orchestration checkpoint` while it runs). */
    inboxEnd: z.number().int().min(0).optional(),
  }),
  z.object({
    ...eventBase,
    type: z.literal("checkpoint.restored"),
    checkpoint: hexId,
    /** The state the log rewinds to, kept in the event so replay needs no other file. */
    state: OrchestrationStateSchema,
  }),
  z.object({
    ...eventBase,
    type: z.literal("orchestration.isolation"),
    /** worktree: each agent in its own git worktree, branches from `base`. */
    mode: IsolationSchema,
    base: gitCommit.nullable(),
  }),
  z.object({
    ...eventBase,
    type: z.literal("agent.files"),
    agent: name,
    /** Commit on refs/maos/<id>/<agent> holding the worktree's files (untracked too). */
    commit: gitCommit,
    /** The agent's branch head at that moment. */
    head: gitCommit.nullable(),
    /** Why it was taken: interval, task, pause, checkpoint, restore. */
    reason: z.string(),
  }),
  /**
   * What one agent invocation spent, added to the agent's totals. `costUsd`
   * is absent when not known in dollars (Codex without prices in maos.json,
   * a Claude run killed before its result line).
   *
   * Logs written before tokens were kept carry `totalUsd` instead: that maos
   * took it for the session's running total and set the agent's cost to it,
   * so such an event still sets (not adds) — a replay of an old log gives
   * the state.json that maos wrote for it.
   */
  z.object({
    ...eventBase,
    type: z.literal("cost"),
    agent: name,
    costUsd: z.number().min(0).optional(),
    inputTokens: z.number().int().min(0).optional(),
    outputTokens: z.number().int().min(0).optional(),
    /** The CLI's running counters for the agent's session, to subtract next time. */
    sessionTotals: SessionTotalsSchema.optional(),
    /** Legacy: the agent's cost is set to this (see above). */
    totalUsd: z.number().min(0).optional(),
    /**
     * Priced by maos from one streamed message's usage, before the CLI's
     * own figure: what a run cut by kill -9 still counts.
     */
    estimated: z.literal(true).optional(),
    /** The planner's request (before any agent ran): counted in the totals, not an agent's. */
    planner: z.literal(true).optional(),
    /**
     * The CLI's figure for an invocation replaces the estimates streamed
     * before it: these are taken off again (this event's own fields are the
     * invocation's whole spend).
     */
    replaces: z.object({
      costUsd: z.number().min(0),
      inputTokens: z.number().int().min(0),
      outputTokens: z.number().int().min(0),
    }).optional(),
  }),
  /** A tool call the agent's CLI refused (Claude's `permission_denials`). */
  z.object({
    ...eventBase,
    type: z.literal("permission.denied"),
    agent: name,
    task: z.string(),
    tool: z.string(),
    input: ToolInputSchema,
  }),
  z.object({
    ...eventBase,
    type: z.literal("approval.requested"),
    ...approvalRequestFields,
    inboxEnd: z.number().int().min(0).optional(),
  }),
  z.object({
    ...eventBase,
    type: z.literal("approval.decided"),
    ...approvalDecisionFields,
    /** When the person decided (the event's `at` is when maos ingested it). */
    decidedAt: isoTime.optional(),
    inboxEnd: z.number().int().min(0).optional(),
  }),
  /** `expired`: the agent stopped waiting; `used`: a late grant was used by the repeated call. */
  z.object({
    ...eventBase,
    type: z.literal("approval.note"),
    n: z.number().int().positive(),
    note: z.enum(["expired", "used"]),
    inboxEnd: z.number().int().min(0).optional(),
  }),
]);
export type MaosEvent = z.infer<typeof EventSchema>;
export type EventType = MaosEvent["type"];
/** An event before the log gives it `seq` and `at`. */
export type NewEvent = MaosEvent extends infer E
  ? E extends MaosEvent ? Omit<E, "seq" | "at"> : never
  : never;

// ---------------------------------------------------------------- inbox

/** A message line of inbox.jsonl, appended by `maos message send` or `maos mcp` from any process. */
export const InboxMessageLineSchema = z.object({
  at: isoTime,
  from: z.string(),
  to: z.string().nullable(),
  kind: MessageKindSchema,
  content: z.string(),
  /** A body too long for one atomic line is stored in a file under the orchestration. */
  contentFile: z.string().optional(),
  /** With contentFile: the whole body's size in bytes. */
  contentBytes: z.number().int().min(0).optional(),
  /** MAOS_AGENT_TOKEN of the sending agent's process (absent from people). */
  token: z.string().optional(),
});
export type InboxMessageLine = z.infer<typeof InboxMessageLineSchema>;

/**
 * A progress line of inbox.jsonl (MCP `report_progress`). Its `kind` is not
 * a message kind, so inboxes written before it existed read as before.
 */
export const InboxProgressLineSchema = z.object({
  at: isoTime,
  from: z.string(),
  kind: z.literal("progress"),
  task: z.string(),
  percent: z.number().min(0).max(100),
  note: z.string().optional(),
  /** MAOS_AGENT_TOKEN of the reporting agent's process. */
  token: z.string().optional(),
});
export type InboxProgressLine = z.infer<typeof InboxProgressLineSchema>;

/**
 * Approval lines of inbox.jsonl (lib/approvals/): an agent's request (from
 * `maos mcp`), a person's decision (`maos approval grant|deny`, from any
 * terminal or clone), and the agent's notes on a request. The orchestrator
 * ingests them as `approval.*` events; the request gets its number then.
 */
export const InboxApprovalLineSchema = z.discriminatedUnion("kind", [
  z.object({
    at: isoTime,
    kind: z.literal("approval.request"),
    from: z.string(),
    // The number is given when the orchestrator ingests it; `from` is the agent.
    ...requestLineFields,
    /** MAOS_AGENT_TOKEN of the asking agent's process (agent_token.ts). */
    token: z.string().optional(),
  }),
  z.object({
    at: isoTime,
    kind: z.literal("approval.decision"),
    /** A person ("user"): agents do not answer requests. */
    from: z.string(),
    ...approvalDecisionFields,
    token: z.string().optional(),
  }),
  z.object({
    at: isoTime,
    kind: z.literal("approval.note"),
    from: z.string(),
    n: z.number().int().positive(),
    note: z.enum(["expired", "used"]),
    token: z.string().optional(),
  }),
]);
export type InboxApprovalLine = z.infer<typeof InboxApprovalLineSchema>;

/**
 * A checkpoint request in inbox.jsonl: `maos orchestration checkpoint` of
 * an orchestration another process runs. That process saves the agents'
 * files now, writes the checkpoint and logs `checkpoint.created`; an older
 * maos skips the line (its `kind` is no message kind).
 */
export const InboxCheckpointLineSchema = z.object({
  at: isoTime,
  from: z.string(),
  kind: z.literal("checkpoint"),
  name: z.string().min(1).max(80),
});
export type InboxCheckpointLine = z.infer<typeof InboxCheckpointLineSchema>;

/** One line of `agents/<agent-id>.jsonl`: an agent's raw output. */
export const AgentOutputLineSchema = z.object({
  at: z.string(),
  task: z.string(),
  line: z.string(),
});
export type AgentOutputLine = z.infer<typeof AgentOutputLineSchema>;

/** One line of inbox.jsonl. */
export const InboxLineSchema = z.union([
  InboxMessageLineSchema,
  InboxProgressLineSchema,
  InboxApprovalLineSchema,
  InboxCheckpointLineSchema,
]);

/** A message line, not a progress report, an approval or a checkpoint line. */
export function isMessageLine(line: InboxLine): line is InboxMessageLine {
  return MessageKindSchema.safeParse(line.kind).success;
}

/** An approval request, answer or note (lib/approvals/). */
export function isApprovalLine(line: InboxLine): line is InboxApprovalLine {
  return line.kind.startsWith("approval.");
}
export type InboxLine = z.infer<typeof InboxLineSchema>;

// ---------------------------------------------------------------- lock

export const LockFileSchema = z.object({
  formatVersion,
  pid: z.number().int().positive(),
  host: z.string(),
  /** The holder's process start time, so a recycled pid is not mistaken for it. */
  processStart: z.string().nullable(),
  acquiredAt: isoTime,
  heartbeatAt: isoTime,
  command: z.string(),
});
export type LockFile = z.infer<typeof LockFileSchema>;

// ---------------------------------------------------------------- checkpoints

export const CheckpointFileSchema = z.object({
  formatVersion,
  id: hexId,
  name: z.string(),
  auto: z.boolean(),
  createdAt: isoTime,
  orchestrations: z.array(z.object({
    id: hexId,
    seq: z.number().int().min(0),
    state: OrchestrationStateSchema,
  })),
});
export type CheckpointFile = z.infer<typeof CheckpointFileSchema>;

/** One line of the error a schema reports: the first issue, with its path. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid data";
  const where = issue.path.length ? issue.path.join(".") : "(top level)";
  return `${where}: ${issue.message}`;
}

// ---------------------------------------------------------------- export

/** A file under attachments/ (long inbox messages), as inbox.ts names them. */
const attachmentName = z.string().regex(
  /^[0-9a-f]{12}\.txt$/,
  "expected an attachment file name",
);

/**
 * `maos orchestration export`: one portable file with everything of an
 * orchestration. `checksum` is the sha-256 (hex) of the canonical JSON of
 * all other fields, so a damaged copy is refused on import.
 */
export const OrchestrationExportSchema = z.object({
  formatVersion,
  kind: z.literal("maos-orchestration-export"),
  exportedAt: isoTime,
  id: hexId,
  /** state.json as it was. */
  state: SnapshotFileSchema,
  /** events.jsonl, whole lines only. */
  events: z.string().min(1),
  /** agents/<agent-id>.jsonl by agent id. */
  agents: z.record(name, z.string()),
  inbox: z.string().optional(),
  attachments: z.record(attachmentName, z.string()).optional(),
  checksum: z.string().regex(/^[0-9a-f]{64}$/, "expected a sha-256 hex digest"),
});
export type OrchestrationExport = z.infer<typeof OrchestrationExportSchema>;
