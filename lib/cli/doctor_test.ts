import assert from "node:assert/strict";
import { findingMessage } from "./doctor.ts";

const file = ".maos/orchestrations/a1b2/events.jsonl";
const root = "/tmp/corr/.maos";

Deno.test("a doctor line names its file once: the absolute path in front of the message is dropped", () => {
  assert.equal(
    findingMessage(
      file,
      "/tmp/corr/.maos/orchestrations/a1b2/events.jsonl line 5 is corrupt: not valid JSON",
      root,
    ),
    "line 5 is corrupt: not valid JSON",
  );
  assert.equal(
    findingMessage(file, `${file}: torn`, root),
    "torn",
  );
});

Deno.test("a doctor message about something else keeps its paths", () => {
  assert.equal(findingMessage(file, "valid", root), "valid");
  assert.equal(
    findingMessage(
      file,
      "see /tmp/corr/.maos/orchestrations/a1b2/state.json",
      root,
    ),
    "see /tmp/corr/.maos/orchestrations/a1b2/state.json",
  );
  // Another file whose name merely starts the same way.
  assert.equal(
    findingMessage(
      file,
      "/tmp/corr/.maos/orchestrations/a1b2/events.jsonl.tmp is stale",
      root,
    ),
    "/tmp/corr/.maos/orchestrations/a1b2/events.jsonl.tmp is stale",
  );
});
