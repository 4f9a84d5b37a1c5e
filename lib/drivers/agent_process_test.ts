import { assert, assertEquals } from "./_test_assert.ts";
import process from "node:process";
import { runAgentProcess } from "./agent_process.ts";
import { waitGone } from "./_test_helpers.ts";

const env = process.env as Record<string, string>;

function sh(
  script: string,
  extra: Partial<Parameters<typeof runAgentProcess>[0]> = {},
) {
  const lines: string[] = [];
  const done = runAgentProcess({
    command: "/bin/sh",
    args: ["-c", script],
    cwd: Deno.cwd(),
    env,
    onLine: (l) => lines.push(l),
    ...extra,
  });
  return { lines, done };
}

Deno.test("stdout arrives as lines, CRLF trimmed, and a last line without newline is kept", async () => {
  const { lines, done } = sh("printf 'one\\ntwo\\r\\n\\nthree'");
  const exit = await done;
  assertEquals(lines, ["one", "two", "", "three"]);
  assertEquals(exit.exitCode, 0);
  assertEquals(exit.signal, null);
  assertEquals(exit.stopped, false);
});

Deno.test("a multi-byte character split across writes is decoded whole", async () => {
  const { lines, done } = sh(
    "printf '\\342\\202'; sleep 0.05; printf '\\254 euro\\n'",
  );
  await done;
  assertEquals(lines, ["€ euro"]);
});

Deno.test("the exit code and the tail of stderr are reported, stderr bounded", async () => {
  const { done } = sh(
    "i=0; while [ $i -lt 200 ]; do echo err-$i >&2; i=$((i+1)); done; exit 7",
    {
      stderrLimit: 100,
    },
  );
  const exit = await done;
  assertEquals(exit.exitCode, 7);
  assert(exit.stderr.length <= 100);
  assert(exit.stderr.endsWith("err-199\n"));
});

Deno.test("the stdin text reaches the process and stdin is then closed", async () => {
  const { lines, done } = sh("cat", { stdin: "hello\nworld" });
  await done;
  assertEquals(lines, ["hello", "world"]);
});

Deno.test("a missing program is a spawnError value, not a crash", async () => {
  const exit = await runAgentProcess({
    command: "maos-no-such-binary-xyz",
    args: [],
    cwd: Deno.cwd(),
    env,
    onLine: () => {},
  });
  assertEquals(exit.spawnError?.code, "ENOENT");
  assertEquals(exit.spawnError?.what, "command");
  assertEquals(exit.exitCode, null);
});

Deno.test("a missing working directory is reported as such, not as a missing program", async () => {
  const { done } = sh("true", { cwd: "/nonexistent/maos-dir" });
  const exit = await done;
  assertEquals(exit.spawnError?.what, "cwd");
  assert(exit.spawnError!.message.includes("/nonexistent/maos-dir"));
});

Deno.test("onProcess gets the pid, which is also the process group id", async () => {
  let pid = 0;
  const { lines, done } = sh("ps -o pgid= -p $$", {
    onProcess: (p) => pid = p,
  });
  await done;
  assert(pid > 0);
  assertEquals(Number(lines[0].trim()), pid);
});

Deno.test("stop sends SIGINT to the whole group, children included", async () => {
  const stop = new AbortController();
  const { lines, done } = sh("sleep 30 & echo $!; sleep 30", {
    stop: stop.signal,
    onLine: (l) => {
      lines.push(l);
      stop.abort();
    },
  });
  const started = Date.now();
  const exit = await done;
  assert(Date.now() - started < 3000);
  assertEquals(exit.stopped, true);
  assert(exit.signal === "SIGINT" || exit.exitCode !== 0);
  assert(
    await waitGone(Number(lines[0]), 2000),
    "background child still alive",
  );
});

Deno.test("a process that ignores SIGINT and SIGTERM is killed when the grace is over", async () => {
  const stop = new AbortController();
  const { done } = sh(
    "trap '' INT TERM; echo ready; while :; do sleep 0.05; done",
    {
      stop: stop.signal,
      graceMs: 400,
      onLine: () => stop.abort(),
    },
  );
  const started = Date.now();
  const exit = await done;
  const took = Date.now() - started;
  assertEquals(exit.signal, "SIGKILL");
  assert(took >= 350 && took < 3000, `took ${took} ms`);
});

Deno.test("kill sends SIGKILL to the group at once", async () => {
  const kill = new AbortController();
  const { done } = sh("trap '' INT TERM; echo ready; sleep 30", {
    kill: kill.signal,
    onLine: () => kill.abort(),
  });
  const started = Date.now();
  const exit = await done;
  assertEquals(exit.signal, "SIGKILL");
  assertEquals(exit.stopped, true);
  assert(Date.now() - started < 2000);
});

Deno.test("a stop requested before the start runs nothing", async () => {
  const stop = new AbortController();
  stop.abort();
  let spawned = false;
  const { lines, done } = sh("echo ran", {
    stop: stop.signal,
    onProcess: () => spawned = true,
  });
  const exit = await done;
  assertEquals(exit.stopped, true);
  assertEquals(spawned, false);
  assertEquals(lines, []);
});

Deno.test("what the leader leaves running in its group ends with it", async () => {
  const { lines, done } = sh("sleep 30 >/dev/null 2>&1 </dev/null & echo $!");
  const started = Date.now();
  await done;
  assert(Date.now() - started < 2000);
  assert(await waitGone(Number(lines[0]), 2000), "leftover still alive");
});

Deno.test("stderr lines arrive as they come (a line split across writes whole), and one of them can decide to kill", async () => {
  const errLines: string[] = [];
  const kill = new AbortController();
  const { done } = sh(
    "printf 'Attempt 1 fa' >&2; sleep 0.05; printf 'iled\\nnext\\n' >&2; sleep 30",
    {
      onStderrLine: (l) => {
        errLines.push(l);
        if (l === "next") kill.abort();
      },
      kill: kill.signal,
    },
  );
  const exit = await done;
  assertEquals(errLines, ["Attempt 1 failed", "next"]);
  assertEquals(exit.signal, "SIGKILL");
  assertEquals(exit.stderr, "Attempt 1 failed\nnext\n");
});

Deno.test("a last stderr line without newline is given at the end", async () => {
  const errLines: string[] = [];
  const { done } = sh("printf 'one\\r\\ntwo' >&2", {
    onStderrLine: (l) => errLines.push(l),
  });
  await done;
  assertEquals(errLines, ["one", "two"]);
});
