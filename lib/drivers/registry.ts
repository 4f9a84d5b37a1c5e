/**
 * Pick a driver by name (plan, `--driver`, maos.json) — the one place that
 * knows every driver, so the engine depends only on AgentDriver.
 */
import process from "node:process";
import { usageError } from "../../store/errors.ts";
import type { TokenPricing } from "../../store/schema.ts";
import type { AgentDriver } from "./driver.ts";
import { ClaudeDriver, claudeNotFound } from "./claude.ts";
import { CodexDriver, codexNotFound } from "./codex.ts";
import { ExecDriver, execNotFound } from "./exec.ts";
import { GeminiDriver, geminiNotFound } from "./gemini.ts";
import { findProgram } from "./find_program.ts";
import { ShellDriver } from "./shell.ts";
import { SimDriver } from "./sim.ts";

/** The names `createDriver` accepts. */
export const DRIVER_NAMES = [
  "claude",
  "codex",
  "gemini",
  "exec",
  "shell",
  "sim",
] as const;

export type DriverName = typeof DRIVER_NAMES[number];

/** The `drivers` block of maos.json, as far as drivers read it. */
export interface DriverSettings {
  claude?: {
    bin?: string;
    permissionMode?: string;
    model?: string;
    pricing?: Record<string, TokenPricing>;
  };
  codex?: {
    bin?: string;
    model?: string;
    sandbox?: string;
    pricing?: TokenPricing;
  };
  gemini?: {
    bin?: string;
    model?: string;
    authType?: string;
    maxAttempts?: number;
    pricing?: TokenPricing;
  };
  exec?: { command?: string[]; promptVia?: "stdin" | "arg" };
}

/** Where drivers take their settings from. */
export interface DriverContext {
  /** maos.json; its `drivers` block and `modelRetries` are read. */
  config?: { drivers?: DriverSettings; modelRetries?: number };
  /**
   * The environment: MAOS_CLAUDE_BIN (over drivers.claude.bin),
   * MAOS_CODEX_BIN (over drivers.codex.bin), MAOS_GEMINI_BIN (over
   * drivers.gemini.bin), MAOS_SIM_SEED,
   * MAOS_SIM_SPEED, and PATH for preflight. Default: process.env.
   */
  env?: Record<string, string | undefined>;
  /** Time between a stop request and SIGKILL for process drivers; default 10 s. */
  graceMs?: number;
}

/** True when `name` is a known driver name. */
export function isDriverName(name: string): name is DriverName {
  return (DRIVER_NAMES as readonly string[]).includes(name);
}

/**
 * Create the named driver from maos.json settings and the environment. An
 * unknown name, or exec without a command, is a usage error (exit 2).
 *
 * @example
 * const driver = createDriver("claude", { config, env: process.env });
 */
export function createDriver(
  name: string,
  ctx: DriverContext = {},
): AgentDriver {
  const env = ctx.env ?? process.env;
  const settings = ctx.config?.drivers ?? {};
  switch (name) {
    case "claude":
      return new ClaudeDriver({
        ...settings.claude,
        bin: env.MAOS_CLAUDE_BIN || settings.claude?.bin || "claude",
        graceMs: ctx.graceMs,
        modelRetries: ctx.config?.modelRetries,
      });
    case "codex":
      return new CodexDriver({
        ...settings.codex,
        bin: env.MAOS_CODEX_BIN || settings.codex?.bin || "codex",
        graceMs: ctx.graceMs,
        modelRetries: ctx.config?.modelRetries,
      });
    case "gemini":
      return new GeminiDriver({
        ...settings.gemini,
        bin: env.MAOS_GEMINI_BIN || settings.gemini?.bin || "gemini",
        // One bound for every CLI: modelRetries, unless drivers.gemini says otherwise.
        maxAttempts: settings.gemini?.maxAttempts ??
          (ctx.config?.modelRetries ?? 2) + 1,
        graceMs: ctx.graceMs,
      });
    case "exec": {
      const command = settings.exec?.command;
      if (!command) {
        throw usageError(
          "the exec driver needs a command",
          'set drivers.exec.command in maos.json, e.g. ["aider", "--yes", "--message", "{prompt}"]',
        );
      }
      return new ExecDriver({
        command,
        promptVia: settings.exec?.promptVia,
        graceMs: ctx.graceMs,
      });
    }
    case "shell":
      return new ShellDriver({ graceMs: ctx.graceMs });
    case "sim":
      return new SimDriver({
        seed: env.MAOS_SIM_SEED || undefined,
        speed: numberOr(env.MAOS_SIM_SPEED),
      });
    default:
      throw usageError(
        `unknown driver '${name}'; valid drivers: ${DRIVER_NAMES.join(", ")}`,
      );
  }
}

/**
 * Fail now, with a clear error, if the driver cannot work: an unknown name, a
 * bad exec template, or an agent CLI that is not installed. Checks nothing
 * over the network (login is found out by the first task).
 *
 * @example
 * for (const name of new Set(plan.agents.map((a) => a.driver))) preflightDriver(name, { config, env });
 */
export function preflightDriver(name: string, ctx: DriverContext = {}): void {
  const env = ctx.env ?? process.env;
  const driver = createDriver(name, ctx);
  const needs = driver instanceof ClaudeDriver
    ? { program: driver.bin, notFound: claudeNotFound }
    : driver instanceof CodexDriver
    ? { program: driver.bin, notFound: codexNotFound }
    : driver instanceof GeminiDriver
    ? { program: driver.bin, notFound: geminiNotFound }
    : driver instanceof ExecDriver
    ? { program: driver.program, notFound: execNotFound }
    : undefined;
  if (needs && !findProgram(needs.program, env.PATH)) {
    throw needs.notFound(needs.program);
  }
}

function numberOr(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}
