import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { DRIVER_NAMES } from "../drivers/registry.ts";
import { completionScript } from "./completions.ts";
import { buildProgram } from "./program.ts";

/** Whether `program` is installed (the shell tests are skipped where it is not). */
function installed(program: string): boolean {
  return (Deno.env.get("PATH") ?? "").split(path.delimiter).some((dir) =>
    fs.existsSync(path.join(dir, program))
  );
}

/** What bash offers after `words` (the last one is being typed). */
async function bashComplete(words: string[]): Promise<string[]> {
  const script = completionScript(buildProgram(), "bash");
  const setup = `COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")})
COMP_CWORD=${words.length - 1}
_maos_complete
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const out = await new Deno.Command("bash", {
    args: ["-c", `${script}\n${setup}`],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert.equal(out.code, 0);
  return new TextDecoder().decode(out.stdout).split("\n").filter(Boolean);
}

Deno.test({
  name:
    "bash completes --driver with the driver names and completions with the shells",
  ignore: !installed("bash"),
}, async () => {
  assert.deepEqual(
    await bashComplete(["maos", "orchestrate", "--driver", ""]),
    [
      ...DRIVER_NAMES,
    ],
  );
  assert.deepEqual(
    await bashComplete(["maos", "orchestrate", "x", "--driver", "s"]),
    ["shell", "sim"],
  );
  assert.deepEqual(
    (await bashComplete(["maos", "completions", ""])).slice(0, 3),
    ["bash", "zsh", "fish"],
  );
});

Deno.test({
  name:
    "fish completes --driver with the driver names and completions with the shells",
  ignore: !installed("fish"),
}, async () => {
  const script = completionScript(buildProgram(), "fish");
  const complete = async (line: string) => {
    const out = await new Deno.Command("fish", {
      args: ["--no-config", "-c", "source; complete -C $argv[1]", line],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const writer = out.stdin.getWriter();
    await writer.write(new TextEncoder().encode(script));
    await writer.close();
    const { stdout } = await out.output();
    return new TextDecoder().decode(stdout).split("\n").filter(Boolean)
      .map((l) => l.split("\t")[0]);
  };
  assert.deepEqual(await complete("maos orchestrate --driver "), [
    ...DRIVER_NAMES,
  ]);
  assert.deepEqual((await complete("maos completions ")).sort(), [
    "bash",
    "fish",
    "zsh",
  ]);
});

Deno.test("the zsh script offers the driver names for --driver", () => {
  const zsh = completionScript(buildProgram(), "zsh");
  assert.match(
    zsh,
    /\(maos\/orchestrate:--driver\) compadd -- 'claude' 'codex' 'gemini' 'exec' 'shell' 'sim'; return ;;/,
  );
});
