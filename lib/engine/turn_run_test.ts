import { assertEquals } from "../../store/_test_util.ts";
import type { TaskState } from "../../store/schema.ts";
import { type ActiveTask, noteActivity, pauseTurn } from "./turn_run.ts";
import type { TurnToken } from "./agent_token.ts";

function turn(): ActiveTask {
  return {
    task: {} as TaskState,
    stop: new AbortController(),
    kill: new AbortController(),
    pids: [],
    lastLines: [],
    done: Promise.resolve(),
    token: {} as TurnToken,
  };
}

Deno.test("a pause stops a turn at once; a budget pause first lets the answer in flight finish, then stops the turn", () => {
  const plain = turn();
  noteActivity(plain, { type: "activity", answering: true }, false);
  pauseTurn(plain, false);
  assertEquals(plain.stop.signal.aborted, true);

  const answering = turn();
  noteActivity(answering, { type: "activity", answering: true }, false);
  pauseTurn(answering, true);
  assertEquals(answering.stop.signal.aborted, false);
  // The answer asked for a tool: the turn would go on, so it stops now.
  noteActivity(answering, { type: "activity", answering: false }, true);
  assertEquals(answering.stop.signal.aborted, true);
});

Deno.test("at the budget, a turn whose last answer came ends by itself, unless another answer starts", () => {
  const last = turn();
  noteActivity(last, { type: "activity", answering: true }, false);
  noteActivity(
    last,
    { type: "activity", answering: false, finishing: true },
    false,
  );
  pauseTurn(last, true);
  assertEquals(last.stop.signal.aborted, false);
  noteActivity(last, { type: "activity", answering: true }, true);
  noteActivity(last, { type: "activity", answering: false }, true);
  assertEquals(last.stop.signal.aborted, true);
});
