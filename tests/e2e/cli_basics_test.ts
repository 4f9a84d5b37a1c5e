/**
 * The CLI's shell: init, empty stores, usage errors, help and completions,
 * run as the real program in temp dirs.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { buildProgram } from "../../lib/cli/program.ts";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { runMaos, runMaosExpect } from "./run_maos.ts";
import { tempProject } from "./_store_fixture.ts";

async function tempDir(): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "maos-e2e-" });
  return {
    dir,
    cleanup: () => Deno.remove(dir, { recursive: true }).catch(() => {}),
  };
}

Deno.test("maos starts and prints its version (also warms the module cache)", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const run = await runMaosExpect(0, ["--version"], { cwd: dir });
    assert.equal(run.stdout.trim(), "0.1.0");
  } finally {
    await cleanup();
  }
});

Deno.test("init creates maos.json with the defaults and a .gitignore for machine-local files", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    await runMaosExpect(0, ["init"], { cwd: dir });
    const config = JSON.parse(
      fs.readFileSync(path.join(dir, ".maos", "maos.json"), "utf8"),
    );
    assert.equal(config.formatVersion, 1);
    assert.equal(config.saveIntervalSeconds, 30);
    assert.equal(config.durability, "batched");
    const ignore = fs.readFileSync(
      path.join(dir, ".maos", ".gitignore"),
      "utf8",
    );
    assert.match(ignore, /^\*\.lock$/m);
    assert.match(ignore, /^\*\.tmp$/m);
    // A second init is harmless and says so.
    const again = await runMaosExpect(0, ["init"], { cwd: dir });
    assert.match(again.stdout, /already initialized/);
  } finally {
    await cleanup();
  }
});

Deno.test("orchestration list on an empty store: a friendly line, and [] with --json", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    const table = await runMaosExpect(0, ["orchestration", "list"], {
      cwd: dir,
    });
    assert.match(
      table.stdout,
      /No orchestrations yet\. Start one with: maos orchestrate/,
    );
    const json = await runMaosExpect(0, ["orchestration", "list", "--json"], {
      cwd: dir,
    });
    assert.deepEqual(json.json(), []);
    assert.equal(json.stdout, "[]\n");
  } finally {
    await cleanup();
  }
});

Deno.test("a missing .maos is a usage error (exit 2) with the hint maos init", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const run = await runMaosExpect(2, ["orchestration", "list"], { cwd: dir });
    assert.match(run.stderr, /^maos: no \.maos directory/m);
    assert.match(run.stderr, /^hint: .*maos init/m);
    assert.equal(run.stdout, "");
    assert.doesNotMatch(run.stderr, /\bat .*\.ts:\d+/); // no stack trace
  } finally {
    await cleanup();
  }
});

Deno.test("an unknown flag, a missing argument or an unknown command is exit 2 with one line", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    const flag = await runMaosExpect(2, ["orchestration", "list", "--bogus"], {
      cwd: dir,
    });
    assert.equal(flag.stderr.trim().split("\n").length, 1);
    assert.match(
      flag.stderr,
      /unknown option '--bogus'.*maos orchestration list --help/,
    );
    const missing = await runMaosExpect(2, ["orchestrate"], { cwd: dir });
    assert.match(missing.stderr, /missing required argument 'request'/);
    const command = await runMaosExpect(2, ["bogus"], { cwd: dir });
    assert.match(command.stderr, /unknown command 'bogus'/);
    const value = await runMaosExpect(2, [
      "orchestration",
      "list",
      "--limit",
      "x",
    ], { cwd: dir });
    assert.match(value.stderr, /--limit/);
  } finally {
    await cleanup();
  }
});

/** Every command path of the tree: ["orchestration", "list"], … */
function commandPaths(): string[][] {
  const out: string[][] = [];
  const walk = (cmd: CommandUnknownOpts, prefix: string[]) => {
    for (const sub of cmd.commands) {
      const here = [...prefix, sub.name()];
      out.push(here);
      walk(sub, here);
    }
  };
  walk(buildProgram(), []);
  return out;
}

Deno.test("--help of every command has an Examples section", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const paths = [[], ...commandPaths()];
    assert.ok(paths.length > 15, `only ${paths.length} commands found`);
    const runs = await Promise.all(
      paths.map((p) => runMaos([...p, "--help"], { cwd: dir })),
    );
    runs.forEach((run, i) => {
      const name = ["maos", ...paths[i]].join(" ");
      assert.equal(
        run.code,
        0,
        `${name} --help exited ${run.code}: ${run.stderr}`,
      );
      assert.match(
        run.stdout,
        /Examples:\n {2}\$ maos/,
        `${name} --help has no examples`,
      );
      if (paths[i].length > 0) {
        assert.match(
          run.stdout,
          /Global Options:\n(.*\n)*.*--dir <path>(.*\n)*.*--json(.*\n)*.*-q, --quiet(.*\n)*.*--no-color/,
          `${name} --help does not list the global options`,
        );
      }
    });
  } finally {
    await cleanup();
  }
});

Deno.test("completions for bash, zsh and fish come from the command tree", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    for (const shell of ["bash", "zsh", "fish"]) {
      const run = await runMaosExpect(0, ["completions", shell], { cwd: dir });
      assert.ok(run.stdout.length > 500, `${shell}: script too short`);
      for (
        const word of [
          "orchestration",
          "recover",
          "resume",
          "status",
          "follow",
        ]
      ) {
        assert.ok(run.stdout.includes(word), `${shell} script lacks ${word}`);
      }
    }
    await runMaosExpect(2, ["completions", "tcsh"], { cwd: dir });
  } finally {
    await cleanup();
  }
});

Deno.test("--help says where --json prints one object per line", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const status = await runMaosExpect(0, [
      "orchestration",
      "status",
      "--help",
    ], { cwd: dir });
    assert.match(
      status.stdout.replace(/\s+/g, " "),
      /--watch refresh until it ends .*with --json, one JSON object per line/,
    );
    const list = await runMaosExpect(0, ["message", "list", "--help"], {
      cwd: dir,
    });
    assert.match(
      list.stdout.replace(/\s+/g, " "),
      /--follow keep printing new messages .*with --json, one JSON object per line/,
    );
  } finally {
    await cleanup();
  }
});

Deno.test("--interval without --watch is a usage error that says to add --watch", async () => {
  const { dir, cleanup } = await tempProject();
  try {
    const run = await runMaosExpect(2, [
      "orchestration",
      "status",
      "--interval",
      "5",
    ], { cwd: dir });
    assert.equal(
      run.stderr,
      "maos: --interval only applies with --watch\n" +
        "hint: add --watch: maos orchestration status --watch --interval 5\n",
    );
    assert.equal(run.stdout, "");
  } finally {
    await cleanup();
  }
});

Deno.test("--driver takes only a known driver, and its help lists them", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const help = await runMaosExpect(0, ["orchestrate", "--help"], {
      cwd: dir,
    });
    assert.match(
      help.stdout.replace(/\s+/g, " "),
      /--driver <name> .*\(choices: "claude", "codex", "gemini", "exec", "shell", "sim"\)/,
    );
    const run = await runMaosExpect(
      2,
      ["orchestrate", "x", "--driver", "gpt"],
      {
        cwd: dir,
      },
    );
    assert.match(
      run.stderr,
      /Allowed choices are claude, codex, gemini, exec, shell, sim/,
    );
    assert.ok(!fs.existsSync(path.join(dir, ".maos")), "nothing was created");
  } finally {
    await cleanup();
  }
});
