/**
 * Pause and signal handling for a foreground run: the first SIGINT, SIGTERM
 * or SIGHUP asks agents to stop and save; a second one stops them at once.
 *
 * @module
 */

export interface PauseHandlers {
  /** First signal: agents get SIGINT/SIGTERM and time to stop. */
  onPause(): void;
  /** Second signal: agents are stopped at once. */
  onForce(): void;
  warn(text: string): void;
}

export class PauseSwitch {
  private pausingNow = false;
  private forcedNow = false;
  private budgetNow = false;
  private readonly onSignal = () => this.request();

  constructor(private readonly handlers: PauseHandlers) {}

  get pausing(): boolean {
    return this.pausingNow;
  }

  get forced(): boolean {
    return this.forcedNow;
  }

  /** The pause came from the budget, not a signal (exit 5, not 130). */
  get budget(): boolean {
    return this.budgetNow;
  }

  /** Listen for the signals that pause; a closed terminal or dropped ssh session (SIGHUP) too. */
  install(): void {
    process.on("SIGINT", this.onSignal);
    process.on("SIGTERM", this.onSignal);
    process.on("SIGHUP", this.onSignal);
  }

  uninstall(): void {
    process.off("SIGINT", this.onSignal);
    process.off("SIGTERM", this.onSignal);
    process.off("SIGHUP", this.onSignal);
  }

  /**
   * Spending reached the budget: pause as on a first Ctrl-C (agents get
   * SIGINT and time to stop, everything is saved). A Ctrl-C after it still
   * stops them at once.
   */
  requestBudget(): void {
    if (this.pausingNow) return;
    this.pausingNow = true;
    this.budgetNow = true;
    // Agents may take up to their grace time to stop: say why it waits.
    this.handlers.warn(
      "💰 Spending reached the budget: pausing the agents and saving…",
    );
    this.handlers.onPause();
  }

  request(): void {
    if (this.pausingNow) {
      this.forcedNow = true;
      this.handlers.warn("Stopping agents now…");
      this.handlers.onForce();
      return;
    }
    this.pausingNow = true;
    this.handlers.warn(
      "\nPausing: stopping agents and saving (press Ctrl-C again to stop them at once)…",
    );
    this.handlers.onPause();
  }
}
