import { assert, assertEquals, thrown } from "./_test_assert.ts";
import { ExitCode } from "../../store/errors.ts";
import { ClaudeDriver } from "./claude.ts";
import { CodexDriver } from "./codex.ts";
import { ExecDriver } from "./exec.ts";
import { GeminiDriver } from "./gemini.ts";
import {
  createDriver,
  DRIVER_NAMES,
  isDriverName,
  preflightDriver,
} from "./registry.ts";
import { FIXTURES, makeRun } from "./_test_helpers.ts";

const execConfig = {
  drivers: { exec: { command: ["fake-agent", "{prompt}"] } },
};

Deno.test("each known name gives its driver, and only sim is simulated", () => {
  const drivers = DRIVER_NAMES.map((n) =>
    createDriver(n, { config: execConfig, env: {} })
  );
  assertEquals(drivers.map((d) => d.name), [
    "claude",
    "codex",
    "gemini",
    "exec",
    "shell",
    "sim",
  ]);
  assertEquals(drivers.filter((d) => d.simulated).map((d) => d.name), ["sim"]);
});

Deno.test("an unknown driver name is a usage error listing the valid names", () => {
  const err = thrown(() => createDriver("gpt"));
  assertEquals(err.code, ExitCode.usage);
  assertEquals(
    err.message,
    "unknown driver 'gpt'; valid drivers: claude, codex, gemini, exec, shell, sim",
  );
});

Deno.test("exec without a command in maos.json is a usage error", () => {
  assertEquals(
    thrown(() => createDriver("exec", { env: {} })).code,
    ExitCode.usage,
  );
});

Deno.test("maos.json settings reach the drivers, MAOS_CLAUDE_BIN over drivers.claude.bin", () => {
  const config = {
    drivers: { claude: { bin: "from-config" }, ...execConfig.drivers },
  };
  const claude = createDriver("claude", { config, env: {} }) as ClaudeDriver;
  assertEquals(claude.bin, "from-config");
  const fromEnv = createDriver("claude", {
    config,
    env: { MAOS_CLAUDE_BIN: "from-env" },
  }) as ClaudeDriver;
  assertEquals(fromEnv.bin, "from-env");
  const codexConfig = { drivers: { codex: { bin: "codex-from-config" } } };
  assertEquals(
    (createDriver("codex", { config: codexConfig, env: {} }) as CodexDriver)
      .bin,
    "codex-from-config",
  );
  assertEquals(
    (createDriver("codex", {
      config: codexConfig,
      env: { MAOS_CODEX_BIN: "codex-from-env" },
    }) as CodexDriver).bin,
    "codex-from-env",
  );
  const geminiConfig = { drivers: { gemini: { bin: "gemini-from-config" } } };
  assertEquals(
    (createDriver("gemini", { config: geminiConfig, env: {} }) as GeminiDriver)
      .bin,
    "gemini-from-config",
  );
  assertEquals(
    (createDriver("gemini", {
      config: geminiConfig,
      env: { MAOS_GEMINI_BIN: "gemini-from-env" },
    }) as GeminiDriver).bin,
    "gemini-from-env",
  );
  // One retry bound: modelRetries, unless drivers.gemini.maxAttempts says otherwise.
  const attempts = (config: object) =>
    (createDriver("gemini", { config, env: {} }) as GeminiDriver).maxAttempts;
  assertEquals(attempts({}), 3);
  assertEquals(attempts({ modelRetries: 0 }), 1);
  assertEquals(
    attempts({ modelRetries: 0, drivers: { gemini: { maxAttempts: 4 } } }),
    4,
  );
  assertEquals(
    (createDriver("exec", { config, env: {} }) as ExecDriver).program,
    "fake-agent",
  );
});

Deno.test("MAOS_SIM_SPEED and MAOS_SIM_SEED in the given env configure sim", async () => {
  const { run } = makeRun();
  const started = Date.now();
  const result = await createDriver("sim", {
    env: { MAOS_SIM_SPEED: "0", MAOS_SIM_SEED: "1" },
  }).run(run);
  assertEquals(result.status, "completed");
  assert(Date.now() - started < 100);
});

Deno.test("preflight passes when the agent CLIs are on PATH", () => {
  const env = {
    PATH: FIXTURES,
    MAOS_CLAUDE_BIN: "fake-claude",
    MAOS_CODEX_BIN: "fake-claude",
    MAOS_GEMINI_BIN: "fake-claude",
  };
  for (const name of DRIVER_NAMES) {
    preflightDriver(name, { config: execConfig, env });
  }
});

Deno.test("preflight names a missing Claude Code, Codex, Gemini CLI or exec program", () => {
  const env = { PATH: "/nonexistent" };
  assertEquals(
    thrown(() => preflightDriver("claude", { env })).message,
    "Claude Code (`claude`) not found; install it or set MAOS_CLAUDE_BIN",
  );
  assertEquals(
    thrown(() => preflightDriver("codex", { env })).message,
    "Codex CLI (`codex`) not found; install it (npm install -g @openai/codex) or set MAOS_CODEX_BIN",
  );
  assertEquals(
    thrown(() => preflightDriver("gemini", { env })).message,
    "Gemini CLI (`gemini`) not found; install it (npm install -g @google/gemini-cli) or set MAOS_GEMINI_BIN",
  );
  assertEquals(
    thrown(() => preflightDriver("exec", { config: execConfig, env })).message,
    "agent command `fake-agent` not found (exec driver)",
  );
  assertEquals(
    thrown(() => preflightDriver("nope", { env })).code,
    ExitCode.usage,
  );
  preflightDriver("shell", { env });
  preflightDriver("sim", { env });
});

Deno.test("isDriverName tells known names from others", () => {
  assert(isDriverName("shell"));
  assert(!isDriverName("Shell"));
});
