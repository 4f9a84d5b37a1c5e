/**
 * Agents talking through `maos message send`: a shell task runs the real
 * program with the MAOS_* environment it inherited.
 */
import {
  assertContiguousSeq,
  assertEquals,
  countLines,
  maosOk,
  MaosProcess,
  maosShellCommand,
  orchestrationIds,
  readEvents,
  readText,
  taskProgress,
  waitForOrchestration,
  waitUntil,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";
import type { MessageView } from "../../lib/queries/queries.ts";

Deno.test("maos message send from inside a task is logged once and reaches the other agent's next task", async () => {
  await withProject(async (dir) => {
    const maos = maosShellCommand();
    const plan = writePlan(dir, {
      agents: [
        { id: "sender-001", role: "sender" },
        { id: "receiver-001", role: "receiver" },
      ],
      tasks: [
        {
          id: "first-look",
          agent: "receiver-001",
          title: "First look",
          run: 'printf "%s\\n" "$MAOS_INBOX" > runs/first.inbox',
        },
        {
          id: "send",
          agent: "sender-001",
          title: "Tell the receiver",
          run: "echo run >> runs/send\n" +
            `${maos} message send --to receiver-001 --type request "hello from the sender"\n` +
            `${maos} message send --to receiver "by role"`,
        },
        {
          id: "act",
          agent: "receiver-001",
          title: "Act on it",
          dependsOn: ["first-look", "send"],
          run: 'printf "%s\\n" "$MAOS_INBOX" > runs/act.inbox',
        },
      ],
    });
    await maosOk(["orchestrate", "Talk", "--plan", plan], { cwd: dir });
    const [id] = orchestrationIds(dir);

    const messages = (await maosOk(["--json", "message", "list", id], {
      cwd: dir,
    })).json<MessageView[]>();
    assertEquals(
      messages.map((m) => [m.from, m.to, m.type, m.content]),
      [
        ["sender-001", "receiver-001", "request", "hello from the sender"],
        ["sender-001", "receiver-001", "info", "by role"],
      ],
    );
    const inbox = readText(dir, "runs/act.inbox");
    assertEquals(
      inbox.trim().split("\n").map((l) => l.replace(/^#\d+ /, "")),
      [
        "request from sender-001 to receiver-001: hello from the sender",
        "info from sender-001 to receiver-001: by role",
      ],
    );
    assertEquals(countLines(dir, "runs/send"), 1);
    assertContiguousSeq(readEvents(dir, id));
  });
});

Deno.test("after a pause, an agent is not told again what a finished turn saw; a cut turn is", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [
        { id: "teller-001", role: "teller" },
        { id: "reader-001", role: "reader" },
        { id: "slow-001", role: "slow" },
      ],
      tasks: [
        {
          id: "tell",
          agent: "teller-001",
          title: "Tell everyone",
          run: "echo '::maos::broadcast:: old news'",
        },
        {
          id: "read-1",
          agent: "reader-001",
          title: "First read",
          dependsOn: ["tell"],
          run: 'printf "%s\\n" "$MAOS_INBOX" > runs/read-1',
        },
        {
          id: "slow",
          agent: "slow-001",
          title: "Slow",
          dependsOn: ["read-1"],
          run: 'printf "%s\\n---\\n" "$MAOS_INBOX" >> runs/slow\n' +
            "echo '::maos::info to=reader-001:: while you wait'\n" +
            "i=0; while [ $i -lt 5 ]; do i=$((i+1)); " +
            'echo "::maos::progress:: $((i*20))"; sleep 0.2; done',
        },
        {
          id: "read-2",
          agent: "reader-001",
          title: "Second read",
          dependsOn: ["slow"],
          run: 'printf "%s\\n" "$MAOS_INBOX" > runs/read-2',
        },
      ],
    });
    const maos = new MaosProcess(["orchestrate", "News", "--plan", plan], {
      cwd: dir,
    });
    const id = await waitForOrchestration(dir, maos);
    await waitUntil(
      () => taskProgress(dir, id, "slow") >= 20,
      () => `slow under way\n${maos.output()}`,
    );
    maos.kill("SIGINT");
    assertEquals((await maos.exit()).code, 130, maos.output());
    await maosOk(["orchestration", "resume", id], { cwd: dir });

    const strip = (text: string) =>
      text.trim().split("\n").map((l) => l.replace(/^#\d+ /, ""));
    assertEquals(strip(readText(dir, "runs/read-1")), [
      "broadcast from teller-001 to all: old news",
    ]);
    // Not "old news" again; "while you wait" from each run of slow.
    assertEquals(strip(readText(dir, "runs/read-2")), [
      "info from slow-001 to reader-001: while you wait",
      "info from slow-001 to reader-001: while you wait",
    ]);
    // The cut turn of slow runs again with what it had been given.
    assertEquals(
      readText(dir, "runs/slow").split("---\n").filter((t) => t.trim())
        .map(strip),
      [
        ["broadcast from teller-001 to all: old news"],
        ["broadcast from teller-001 to all: old news"],
      ],
    );
  });
});
