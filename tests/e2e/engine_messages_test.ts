/**
 * Agents talking through `maos message send`: a shell task runs the real
 * program with the MAOS_* environment it inherited.
 */
import {
  assertContiguousSeq,
  assertEquals,
  countLines,
  maosOk,
  maosShellCommand,
  orchestrationIds,
  readEvents,
  readText,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";

interface MessageRow {
  seq: number;
  from: string;
  to: string | null;
  type: string;
  content: string;
}

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
    })).json<MessageRow[]>();
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
