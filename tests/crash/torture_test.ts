/**
 * The CI-sized torture run: scripts/torture.ts with 20 trials, each a real
 * maos (shell and sim agents) killed with SIGKILL at random moments of its
 * lifecycle and resumed until done, its invariants checked after every kill
 * and at the end. MAOS_TORTURE_TRIALS and MAOS_TORTURE_SEED change the
 * count and replay a seed; MAOS_BIN runs a compiled maos instead of source.
 */
import * as path from "node:path";

const REPO = path.resolve(import.meta.dirname ?? ".", "..", "..");
const TRIALS = Deno.env.get("MAOS_TORTURE_TRIALS") ?? "20";
const SEED = Deno.env.get("MAOS_TORTURE_SEED") ??
  String(Date.now() % 1_000_000_000);

Deno.test(
  `kill -9 anywhere in ${TRIALS} runs loses nothing acknowledged, re-runs no completed task and leaves no agent behind (seed ${SEED})`,
  async () => {
    const out = await Deno.makeTempFile({ suffix: ".json" });
    try {
      const result = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          path.join(REPO, "scripts", "torture.ts"),
          "--trials",
          TRIALS,
          "--parallel",
          "2",
          "--seed",
          SEED,
          "--out",
          out,
        ],
        cwd: REPO,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder();
      const output = text.decode(result.stdout) + text.decode(result.stderr);
      const summary = JSON.parse(
        await Deno.readTextFile(out).catch(() => "{}"),
      );
      if (result.code !== 0 || summary.failures !== 0) {
        throw new Error(
          `torture failed (replay with MAOS_TORTURE_SEED=${SEED}):\n` +
            output.split("\n").filter((l) => !/ ok \(/.test(l)).join("\n"),
        );
      }
      if (summary.trials !== Number(TRIALS) || summary.kills === 0) {
        throw new Error(`unexpected summary: ${JSON.stringify(summary)}`);
      }
    } finally {
      await Deno.remove(out).catch(() => {});
    }
  },
);
