/**
 * `maos orchestration report` and `maos ui` as a user runs them (source or
 * the compiled binary): the file and its JSON, stdout, bad input, a port in
 * use. What the page does in a browser is tests/browser/.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assert,
  assertEquals,
  assertIncludes,
  maosOk,
  MaosProcess,
  runMaos,
  taskProgress,
  waitForOrchestration,
  waitUntil,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import { gitInit } from "./_git_project.ts";
import { REPO } from "./run_maos.ts";

/** The data a report page carries, as the page's own script reads it. */
async function reportOf<T>(dir: string, id?: string): Promise<T> {
  const page = (await maosOk(
    ["orchestration", "report", ...(id ? [id] : []), "--out", "-"],
    { cwd: dir },
  )).stdout;
  return JSON.parse(page.split('id="maos-data">')[1].split("</script>")[0]);
}

const HOSTILE = "</script><script>alert(1)</script> & <!-- done";

async function oneRun(dir: string): Promise<string> {
  const plan = writePlan(dir, {
    agents: [{ id: "solo-001", role: "solo" }],
    tasks: [{
      id: "hello",
      agent: "solo-001",
      title: "Say hello",
      run: `echo '::maos::discovery:: ${HOSTILE}'`,
    }],
  });
  await maosOk(["orchestrate", "Say <hello>", "--plan", plan], { cwd: dir });
  const list = (await maosOk(["--json", "orchestration", "list"], { cwd: dir }))
    .json<{ id: string }[]>();
  return list[0].id;
}

Deno.test("report writes one self-contained file (its --json says where), or the page on stdout with --out -", async () => {
  await withProject(async (dir) => {
    const id = await oneRun(dir);
    const made = (await maosOk(["--json", "orchestration", "report"], {
      cwd: dir,
    })).json<{ id: string; file: string; bytes: number; messages: number }>();
    assertEquals(made.id, id);
    assertEquals(
      made.file,
      path.join(fs.realpathSync(dir), `maos-report-${id.slice(0, 8)}.html`),
    );
    const html = fs.readFileSync(made.file, "utf8");
    assertEquals(made.bytes, new TextEncoder().encode(html).length);
    assertEquals(made.messages, 1);
    assertIncludes(html, `content="default-src 'none';`);
    // Nothing to fetch: no element names an outside resource.
    assert(!/(src|href)\s*=\s*["']?(https?:)?\/\//i.test(html), "no URL");
    // The agent's text cannot close the data's script element: the page has
    // exactly its own two (the data and the script).
    assertEquals(html.split("</script>").length - 1, 2);
    assertIncludes(
      html,
      "<title>maos " + id.slice(0, 8) + " — Say &#60;hello&#62;</title>",
    );

    const piped = await maosOk(
      ["orchestration", "report", id.slice(0, 4), "--out", "-"],
      { cwd: dir },
    );
    assert(
      piped.stdout.startsWith("<!doctype html>"),
      piped.stdout.slice(0, 40),
    );
    assertIncludes(piped.stdout, '"request":"Say \\u003chello\\u003e"');
  });
});

Deno.test("report refuses an unknown id and a missing folder with exit 2 and a hint; ui refuses a port in use", async () => {
  await withProject(async (dir) => {
    await oneRun(dir);
    const unknown = await runMaos(["orchestration", "report", "abcdef"], {
      cwd: dir,
    });
    assertEquals(unknown.code, 2, unknown.stderr);
    const missing = await runMaos(
      ["orchestration", "report", "--out", "no/such/dir/r.html"],
      { cwd: dir },
    );
    assertEquals(missing.code, 2, missing.stderr);
    assertIncludes(missing.stderr, "does not exist");
    assertIncludes(missing.stderr, "hint:");
    assert(!fs.existsSync(path.join(dir, "no")), "nothing was created");

    const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    try {
      const port = (taken.addr as Deno.NetAddr).port;
      const busy = await runMaos(["ui", "--port", String(port)], { cwd: dir });
      assertEquals(busy.code, 1, busy.stderr);
      assertIncludes(busy.stderr, `port ${port} on 127.0.0.1 is in use`);
      assertIncludes(busy.stderr, "--port 0");
    } finally {
      taken.close();
    }
  });
});

Deno.test("the report of a run killed with SIGKILL and not resumed shows it interrupted, the gap open to its end", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "slow-001", role: "slow" }],
      tasks: [{
        id: "wait",
        agent: "slow-001",
        title: "Wait a while",
        run: "echo '::maos::progress:: 10'\nsleep 30",
      }],
    });
    const maos = new MaosProcess(["orchestrate", "Wait", "--plan", plan], {
      cwd: dir,
    });
    const id = await waitForOrchestration(dir, maos);
    await waitUntil(
      () => taskProgress(dir, id, "wait") >= 10,
      () => maos.output(),
    );
    maos.kill("SIGKILL");
    await maos.exit();
    const data = await reportOf<{
      header: { status: string };
      tasks: { status: string }[];
      turns: { outcome: string; end: number | null }[];
      marks: { kind: string; until?: number | null }[];
    }>(dir, id);
    assertEquals(data.header.status, "interrupted");
    assertEquals(data.tasks.map((t) => t.status), ["interrupted"]);
    assertEquals(data.turns.map((t) => t.outcome), ["interrupted"]);
    assert(data.turns[0].end !== null, "the cut turn has an end");
    const crash = data.marks.filter((m) => m.kind === "crash");
    assertEquals(crash.map((m) => m.until), [null]);
  });
});

Deno.test("a restore is a restore mark in its orchestration's report, and a fork's report begins with a fork mark", async () => {
  await withProject(async (dir) => {
    const id = await oneRun(dir);
    const checkpoints = (await maosOk(
      ["--json", "recover", "list", "--orchestration", id],
      { cwd: dir },
    )).json<{ id: string }[]>();
    const checkpoint = checkpoints[0].id;
    await maosOk(["recover", "restore", checkpoint, "--fork"], { cwd: dir });
    await maosOk(["recover", "restore", checkpoint], { cwd: dir });
    const marks = async (of: string) =>
      (await reportOf<{ marks: { kind: string }[] }>(dir, of)).marks.map((m) =>
        m.kind
      );
    const ids = (await maosOk(["--json", "orchestration", "list"], {
      cwd: dir,
    })).json<{ id: string }[]>().map((o) => o.id);
    const fork = ids.find((o) => o !== id)!;
    const original = await marks(id);
    assert(original.includes("restore"), original.join(","));
    assert(!original.includes("fork"), original.join(","));
    assertEquals((await marks(fork))[0], "fork");
  });
});

Deno.test("the demo's report has its three agents, four tasks, the messages between them and the analyst's audit-report.md", async () => {
  await withProject(async (dir) => {
    fs.cpSync(path.join(REPO, "examples"), path.join(dir, "examples"), {
      recursive: true,
    });
    await gitInit(dir);
    await maosOk([
      "orchestrate",
      "Audit this repository",
      "--plan",
      "examples/audit.yaml",
    ], { cwd: dir });
    const data = await reportOf<{
      lanes: { id: string }[];
      tasks: { status: string }[];
      messages: [number, number, string, string | null, string, string][];
      files: { agent: string; files: { path: string }[] }[];
    }>(dir);
    assertEquals(data.lanes.map((l) => l.id), [
      "analyst-001",
      "linter-001",
      "tester-001",
    ]);
    assertEquals(data.tasks.map((t) => t.status), Array(4).fill("completed"));
    // Who told whom what (the two discoveries may come in either order).
    const told = (list: unknown[][]) =>
      list.map((m) => JSON.stringify(m)).sort();
    assertEquals(
      told(data.messages.map((m) => [m[2], m[3], m[4]])),
      told([
        ["analyst-001", null, "discovery"],
        ["linter-001", null, "discovery"],
        ["tester-001", "analyst-001", "info"],
        ["analyst-001", null, "broadcast"],
      ]),
    );
    const analyst = data.files.find((f) => f.agent === "analyst-001")!;
    assertEquals(analyst.files.map((f) => f.path), ["audit-report.md"]);
  });
});

Deno.test("report's line counts in words a person reads: 1 message, not 1 messages", async () => {
  await withProject(async (dir) => {
    await oneRun(dir);
    const made = await maosOk(["orchestration", "report", "--out", "r.html"], {
      cwd: dir,
    });
    assert(/, 1 message, \d+ ms\)/.test(made.stdout), made.stdout);
  });
});

Deno.test("maos ui: a damaged orchestration's page is a readable HTML error naming the file and maos doctor; the others are still served", async () => {
  await withProject(async (dir) => {
    const good = await oneRun(dir);
    const bad = await oneRun(dir);
    const log = path.join(dir, ".maos", "orchestrations", bad, "events.jsonl");
    const lines = fs.readFileSync(log, "utf8").split("\n");
    lines[2] = "{torn";
    fs.writeFileSync(log, lines.join("\n"));
    const ui = new MaosProcess(["--json", "ui", "--port", "0"], { cwd: dir });
    try {
      await waitUntil(() => ui.stdout.includes("}"), () => ui.output());
      const { url } = JSON.parse(ui.stdout) as { url: string };
      const token = new URL(url).searchParams.get("token")!;
      const origin = new URL(url).origin;
      const page = await fetch(`${origin}/o/${bad}?token=${token}`);
      const body = await page.text();
      assertEquals(page.status, 500, body);
      assertIncludes(page.headers.get("content-type") ?? "", "text/html");
      assertIncludes(body, "events.jsonl line 3 is corrupt");
      assertIncludes(body, "maos doctor");
      assert(!body.trimStart().startsWith("{"), body.slice(0, 80));
      const ok = await fetch(`${origin}/o/${good}?token=${token}`);
      assertEquals(ok.status, 200);
      await ok.body?.cancel();
      const index = await fetch(url);
      const html = await index.text();
      assertIncludes(html, good.slice(0, 8));
      assertIncludes(html, bad.slice(0, 8));
    } finally {
      ui.kill("SIGINT");
      await ui.exit();
    }
  });
});

Deno.test("report --json with --out - is a usage error: both want stdout, and --json promises only JSON there", async () => {
  await withProject(async (dir) => {
    await oneRun(dir);
    const both = await runMaos([
      "--json",
      "orchestration",
      "report",
      "--out",
      "-",
    ], {
      cwd: dir,
    });
    assertEquals(both.code, 2, both.stderr);
    assertEquals(both.stdout, "");
    assertIncludes(both.stderr, "--out -");
    assertIncludes(both.stderr, "hint:");
  });
});

Deno.test("a message kept in a file (above messages.maxInlineBytes) shows in the report with where the whole one is, not only its cut start", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "big-001", role: "big" }],
      tasks: [{
        id: "send",
        agent: "big-001",
        title: "Send a big one",
        run: `maos message send "$(head -c 70000 /dev/zero | tr '\\0' x)"`,
      }],
    });
    await maosOk(["orchestrate", "Big", "--plan", plan], { cwd: dir });
    const data = await reportOf<{ messages: unknown[][] }>(dir);
    const content = String(data.messages.at(-1)?.[5]);
    assert(
      /\(the whole message, 70000 bytes, is in \.maos\/orchestrations\/[0-9a-f]{12}\/attachments\/[0-9a-f]{12}\.txt\)$/
        .test(content),
      content.slice(-200),
    );
  });
});
