/**
 * The agent's side of an approval against real files: a request waits for
 * a decision another writer appends to inbox.jsonl, a late grant applies
 * once to the same call, `--always` covers the call from then on, and an
 * unanswered request is waited on again rather than asked twice.
 */
import { assert, assertEquals } from "../drivers/_test_assert.ts";
import { Journal } from "../../store/journal.ts";
import { appendInbox, readInbox } from "../../store/inbox.ts";
import {
  createdEvent,
  removeTemp,
  tempMaos,
} from "../../tests/fixtures/recovery_fixture.ts";
import { foldEvent } from "../queries/state_fold.ts";
import { askApproval } from "./ask.ts";
import { decideApproval } from "./decide.ts";
import { listApprovals } from "./list.ts";

const ID = "0123456789ab";
const CALL = { tool: "Bash", input: { command: "node test.js" } };

async function withOrchestration(
  fn: (who: Parameters<typeof askApproval>[0]) => Promise<void>,
): Promise<void> {
  const paths = await tempMaos();
  const journal = await Journal.create(
    paths,
    ID,
    createdEvent(ID),
    foldEvent,
    "relaxed",
    "test",
  );
  await journal.close();
  try {
    await fn({
      paths,
      orchestrationId: ID,
      agentId: "developer-001",
      taskId: "t2",
    });
  } finally {
    await removeTemp(paths);
  }
}

const kinds = (who: Parameters<typeof askApproval>[0]) =>
  readInbox(who.paths, ID, 0).entries.map((e) => e.message.kind);

Deno.test("a request waits for the decision another writer appends, and is allowed", async () => {
  await withOrchestration(async (who) => {
    const answer = askApproval(who, CALL, 20_000);
    // The decision comes from elsewhere once the request is visible.
    while (listApprovals(who.paths, ID).length === 0) {
      await new Promise((r) => setTimeout(r, 20));
    }
    decideApproval(who.paths, ID, 1, { decision: "granted", by: "ann" });
    assertEquals(await answer, {
      behavior: "allow",
      updatedInput: CALL.input,
    });
    assertEquals(kinds(who), [
      "approval.request",
      "approval.decision",
      "approval.note",
    ]);
    const [row] = listApprovals(who.paths, ID);
    assertEquals([row.n, row.status, row.by], [1, "granted", "ann"]);
  });
});

Deno.test("no answer in time: the agent is told to end its turn; a later grant applies once to the same call", async () => {
  await withOrchestration(async (who) => {
    const first = await askApproval(who, CALL, 300);
    assert(first.behavior === "deny");
    assert(first.message.includes("No answer yet to maos approval request #1"));
    assertEquals(listApprovals(who.paths, ID)[0].expired, true);
    // Asked again before anyone answered: the same request, not a second one.
    const again = await askApproval(who, CALL, 100);
    assertEquals(again.behavior, "deny");
    assertEquals(listApprovals(who.paths, ID).length, 1);

    decideApproval(who.paths, ID, 1, { decision: "granted" });
    const used = await askApproval(
      who,
      { tool: "Bash", input: { command: "node test.js", description: "x" } },
      100,
    );
    assertEquals(used.behavior, "allow");
    // Once: the next identical call asks anew.
    const next = await askApproval(who, CALL, 100);
    assertEquals(next.behavior, "deny");
    assertEquals(listApprovals(who.paths, ID).map((a) => a.status), [
      "granted",
      "pending",
    ]);
  });
});

Deno.test("--always: every later same call is allowed without asking; denied ones carry the reason", async () => {
  await withOrchestration(async (who) => {
    await askApproval(who, CALL, 50);
    const decided = decideApproval(who.paths, ID, 1, {
      decision: "granted",
      always: true,
    });
    assertEquals(decided.always, true);
    for (let i = 0; i < 3; i++) {
      assertEquals((await askApproval(who, CALL, 50)).behavior, "allow");
    }
    assertEquals(listApprovals(who.paths, ID).length, 1);
    assertEquals(listApprovals(who.paths, ID)[0].rule, "Bash(node test.js)");

    const other = { tool: "Bash", input: { command: "rm -rf build" } };
    const asked = askApproval(who, other, 20_000);
    while (listApprovals(who.paths, ID).length < 2) {
      await new Promise((r) => setTimeout(r, 20));
    }
    decideApproval(who.paths, ID, 2, {
      decision: "denied",
      reason: "keep the build",
    });
    const answer = await asked;
    assert(answer.behavior === "deny");
    assert(answer.message.includes("keep the build"), answer.message);
    // The same call again in that task: the same answer, nobody is asked.
    const again = await askApproval(who, other, 20_000);
    assert(
      again.behavior === "deny" && again.message.includes("keep the build"),
    );
    assertEquals(listApprovals(who.paths, ID).length, 2);
  });
});

Deno.test("deciding an unknown or already answered request is a usage error", async () => {
  await withOrchestration(async (who) => {
    const err = (fn: () => void) => {
      try {
        fn();
      } catch (e) {
        return e as { code: number; message: string };
      }
      throw new Error("expected an error");
    };
    const none = err(() =>
      decideApproval(who.paths, ID, 1, { decision: "granted" })
    );
    assertEquals(none.code, 2);
    assertEquals(
      none.message,
      "no approval request #1 in orchestration 01234567",
    );
    await askApproval(who, CALL, 10);
    decideApproval(who.paths, ID, 1, { decision: "denied" });
    const twice = err(() =>
      decideApproval(who.paths, ID, 1, { decision: "granted" })
    );
    assert(twice.message.startsWith("approval request #1 was already denied"));
  });
});

Deno.test("a wait stops when the CLI goes away; the request stays open, not expired", async () => {
  await withOrchestration(async (who) => {
    const gone = new AbortController();
    const answer = askApproval(who, CALL, 60_000, gone.signal);
    while (listApprovals(who.paths, ID).length === 0) {
      await new Promise((r) => setTimeout(r, 20));
    }
    gone.abort();
    assertEquals((await answer).behavior, "deny");
    const [row] = listApprovals(who.paths, ID);
    assertEquals([row.status, row.expired], ["pending", undefined]);
  });
});

Deno.test("two answers to one request: the first stands, the second is left out", async () => {
  await withOrchestration(async (who) => {
    await askApproval(who, CALL, 10);
    // Two terminals read it pending at the same moment and both answer.
    decideApproval(who.paths, ID, 1, { decision: "denied", by: "ann" });
    appendInbox(who.paths, ID, {
      at: new Date().toISOString(),
      kind: "approval.decision",
      from: "user",
      n: 1,
      decision: "granted",
      by: "bob",
    });
    const [row] = listApprovals(who.paths, ID);
    assertEquals([row.status, row.by], ["denied", "ann"]);
  });
});
