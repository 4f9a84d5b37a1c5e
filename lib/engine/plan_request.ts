/**
 * The plan of a request without a plan file: Claude or Codex is asked for
 * one (bounded like a turn), else the default team works.
 *
 * @module
 */
import * as path from "node:path";
import { ExitCode, MaosError } from "../../store/errors.ts";
import type { Config, Plan } from "../../store/schema.ts";
import type { DriverFactory } from "./driver_factory.ts";
import {
  PLANNER_NAMES,
  type PlannerSpend,
  planWithDriver,
} from "./driver_planner.ts";
import { defaultPlan } from "./planner.ts";
import type { OrchestrateOptions } from "./run_options.ts";
import { turnLimits } from "./turn_watch.ts";

/**
 * No plan file: Claude or Codex is asked for a plan (validated like a file);
 * with `--agents`, another driver, or a planner that fails, the default team
 * works.
 */
export async function planFor(
  request: string,
  driver: string,
  drivers: DriverFactory,
  options: OrchestrateOptions,
  root: string,
  config: Config,
): Promise<{ plan: Plan; spent?: PlannerSpend }> {
  const planner = PLANNER_NAMES[driver];
  if (!planner || options.agents) {
    return { plan: defaultPlan(request, options.agents) };
  }
  options.reporter.line(`🧠 Asking ${planner} for a plan…`);
  const planned = await planWithDriver(
    drivers.get(driver),
    request,
    path.dirname(root),
    { MAOS_DIR: root },
    {
      limits: turnLimits({
        stallWarnSeconds: config.stallWarnSeconds,
        turnTimeoutSeconds: config.planTimeoutSeconds,
      }),
      say: (line) => options.reporter.line(line),
      name: planner,
    },
  );
  if ("plan" in planned) return { plan: planned.plan, spent: planned.spent };
  if (planned.fatal) {
    // Every agent would fail the same way (no login, key refused): say it once, now.
    throw new MaosError(planned.error, ExitCode.failed, planned.fatal);
  }
  options.reporter.warn(
    `the planner gave no usable plan (${planned.error}); using the default team`,
  );
  return { plan: defaultPlan(request), spent: planned.spent };
}
