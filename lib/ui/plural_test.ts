import assert from "node:assert/strict";
import { plural } from "./plural.ts";

Deno.test("one of a thing is singular, every other count is plural", () => {
  assert.equal(plural(1, "agent"), "1 agent");
  assert.equal(plural(0, "agent"), "0 agents");
  assert.equal(plural(2, "message"), "2 messages");
});

Deno.test("an irregular plural can be given", () => {
  assert.equal(plural(1, "entry", "entries"), "1 entry");
  assert.equal(plural(3, "entry", "entries"), "3 entries");
});
