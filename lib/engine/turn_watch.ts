/**
 * Bounded waits for every driver: a turn (or the planner's request) that
 * shows no sign of life for `stallWarnSeconds` is said out loud once, with
 * what it waits for when the driver knows; one that runs past
 * `turnTimeoutSeconds` is stopped, and its task fails with that reason.
 *
 * @module
 */
import { pendingFor } from "../approvals/approvals_fold.ts";
import type { ApprovalState } from "../../store/schema.ts";

export interface TurnLimits {
  /** Say once that nothing came for this long (ms). */
  stallWarnMs: number;
  /** Stop the turn after this long (ms). */
  timeoutMs: number;
}

export interface TurnWatchHandlers {
  /** Nothing for `silentMs`; `waitingFor` when the driver said what it waits on. */
  onStall(silentMs: number, waitingFor: string | undefined): void;
  /** The turn ran out of time: `reason` is what its task fails with. */
  onTimeout(reason: string): void;
}

/**
 * One turn's clock. Call `activity()` on everything the driver reports;
 * `close()` when the turn ends.
 *
 * @example
 * const watch = new TurnWatch({ stallWarnMs: 60_000, timeoutMs: 1_800_000 }, handlers);
 * emit = (e) => { watch.activity(e.type === "activity" ? e.waitingFor : undefined); … };
 */
export class TurnWatch {
  readonly #started = Date.now();
  #last = Date.now();
  #warned = false;
  #waitingFor: string | undefined;
  #timedOut: string | undefined;
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly limits: TurnLimits,
    private readonly handlers: TurnWatchHandlers,
  ) {
    // Checked often enough that a notice comes within a second of its time.
    const every = Math.max(
      100,
      Math.min(1000, limits.stallWarnMs / 4, limits.timeoutMs / 4),
    );
    this.#timer = setInterval(() => this.#check(), every);
  }

  /** Why the turn was stopped, once it timed out. */
  get timedOut(): string | undefined {
    return this.#timedOut;
  }

  /** A sign of life; `waitingFor` updates what the turn waits on. */
  activity(waitingFor?: string): void {
    this.#last = Date.now();
    this.#warned = false;
    if (waitingFor !== undefined) this.#waitingFor = waitingFor;
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #check(): void {
    const now = Date.now();
    if (this.#timedOut) return;
    if (now - this.#started >= this.limits.timeoutMs) {
      const waited = this.#waitingFor
        ? ` while waiting for ${this.#waitingFor}`
        : "";
      this.#timedOut = `timed out after ${
        seconds(this.limits.timeoutMs)
      } (turnTimeoutSeconds)${waited}`;
      this.handlers.onTimeout(this.#timedOut);
      return;
    }
    const silent = now - this.#last;
    if (!this.#warned && silent >= this.limits.stallWarnMs) {
      this.#warned = true;
      this.handlers.onStall(silent, this.#waitingFor);
    }
  }
}

/** The limits of maos.json in ms. */
export function turnLimits(config: {
  stallWarnSeconds: number;
  turnTimeoutSeconds: number;
}): TurnLimits {
  return {
    stallWarnMs: config.stallWarnSeconds * 1000,
    timeoutMs: config.turnTimeoutSeconds * 1000,
  };
}

/** `60 s`, `1.5 s`. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** The stall notice: `⏳ [dev-001] has printed nothing for 60 s — waiting for the model to answer`. */
export function stallNotice(
  who: string,
  silentMs: number,
  waitingFor: string | undefined,
): string {
  const what = waitingFor ? ` — waiting for ${waitingFor}` : "";
  return `⏳ ${who} has printed nothing for ${
    seconds(Math.floor(silentMs / 1000) * 1000)
  }${what}`;
}

/**
 * What a silent turn waits on when it asked a person (`maos approval`):
 * that, not its tool call, is what the stall notice names.
 */
export function approvalWait(
  approvals: readonly ApprovalState[] | undefined,
  taskId: string,
): string | undefined {
  const open = pendingFor(approvals, taskId).map((a) => `#${a.n}`);
  return open.length
    ? `a person to answer approval ${open.join(", ")} (maos approval list)`
    : undefined;
}

/**
 * An agent's turn clock: the notice as a live-view line, the timeout stops
 * the turn. `asked` says what a person must answer first, when anything.
 */
export function watchTurn(
  config: { stallWarnSeconds: number; turnTimeoutSeconds: number },
  agentId: string,
  reporter: { line(text: string): void; warn(text: string): void },
  stop: AbortController,
  asked: () => string | undefined = () => undefined,
): TurnWatch {
  return new TurnWatch(turnLimits(config), {
    onStall: (ms, waitingFor) =>
      reporter.line(
        stallNotice(`[${agentId}]`, ms, asked() ?? waitingFor),
      ),
    onTimeout: (reason) => {
      reporter.warn(`[${agentId}] ${reason}: stopping the turn`);
      stop.abort();
    },
  });
}
