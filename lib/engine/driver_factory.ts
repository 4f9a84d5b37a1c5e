import type { Config } from "../../store/schema.ts";
import type { AgentDriver } from "../drivers/driver.ts";
import { createDriver, preflightDriver } from "../drivers/registry.ts";

export interface DriverFactory {
  /** The driver named in a plan (one instance per name). */
  get(name: string): AgentDriver;
  /** Throw a clear error now if the driver is unknown or its CLI is missing. */
  preflight(name: string): void;
}

/** Drivers configured from maos.json and the environment. */
export function createDriverFactory(
  config: Config,
  env: Record<string, string | undefined>,
): DriverFactory {
  const made = new Map<string, AgentDriver>();
  const options = { config, env };
  return {
    get(name) {
      let driver = made.get(name);
      if (!driver) {
        driver = createDriver(name, options);
        made.set(name, driver);
      }
      return driver;
    },
    preflight(name) {
      preflightDriver(name, options);
    },
  };
}
