import assert from "node:assert/strict";
import { selfCommand } from "./_self.ts";

Deno.test("selfCommand restarts maos the way it was started", () => {
  const base = { execArgv: [], versions: {} as Record<string, string> };
  assert.deepEqual(
    selfCommand({
      ...base,
      execPath: "/usr/bin/deno",
      argv: ["/usr/bin/deno", "/repo/main.ts"],
      versions: { deno: "2" },
    }),
    ["/usr/bin/deno", "run", "-A", "/repo/main.ts"],
  );
  assert.deepEqual(
    selfCommand({
      ...base,
      execPath: "/opt/maos",
      argv: ["bun", "/$bunfs/root/maos"],
      versions: { bun: "1" },
    }),
    ["/opt/maos"],
  );
  assert.deepEqual(
    selfCommand({
      ...base,
      execPath: "/usr/bin/bun",
      argv: ["bun", "/repo/main.ts"],
      versions: { bun: "1" },
    }),
    ["/usr/bin/bun", "/repo/main.ts"],
  );
  assert.deepEqual(
    selfCommand({
      execPath: "/usr/bin/node",
      argv: ["node", "/repo/main.js"],
      execArgv: ["--no-warnings"],
      versions: {},
    }),
    ["/usr/bin/node", "--no-warnings", "/repo/main.js"],
  );
});
