import { MaosPaths } from "./paths.ts";
import {
  assertAgentId,
  assertIdPrefix,
  isId,
  newId,
  resolveIdPrefix,
} from "./ids.ts";
import {
  assert,
  assertEquals,
  assertIncludes,
  assertMaosError,
} from "./_test_util.ts";

Deno.test("newId is 12 lowercase hex characters and does not repeat", () => {
  const ids = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const id = newId();
    assert(/^[0-9a-f]{12}$/.test(id), id);
    assert(isId(id));
    ids.add(id);
  }
  assertEquals(ids.size, 5000);
});

Deno.test("isId accepts exactly 12 lowercase hex characters", () => {
  assert(isId("0123456789ab"));
  for (
    const bad of [
      "0123456789AB",
      "0123456789a",
      "0123456789abc",
      "../../etc/x",
      "0123456789a/",
      "",
    ]
  ) {
    assert(!isId(bad), bad);
  }
});

const KNOWN = ["ab12cd34ef56", "ab12ff000000", "c0ffee000001"];

Deno.test("a unique prefix of 4+ characters resolves to the full id, in any case", () => {
  assertEquals(resolveIdPrefix("c0ff", KNOWN, "orchestration"), "c0ffee000001");
  assertEquals(
    resolveIdPrefix("AB12CD", KNOWN, "orchestration"),
    "ab12cd34ef56",
  );
  assertEquals(
    resolveIdPrefix("ab12cd34ef56", KNOWN, "orchestration"),
    "ab12cd34ef56",
  );
});

Deno.test("an unknown prefix is 'not found' with code 2 and a hint", () => {
  const err = assertMaosError(
    () => resolveIdPrefix("dead", KNOWN, "orchestration"),
    2,
    "orchestration 'dead' not found",
  );
  assertIncludes(err.hint ?? "", "maos orchestration list");
  const cp = assertMaosError(
    () => resolveIdPrefix("dead", [], "checkpoint"),
    2,
  );
  assertIncludes(cp.hint ?? "", "maos recover list");
});

Deno.test("an ambiguous prefix is code 2 listing the candidates", () => {
  assertMaosError(
    () => resolveIdPrefix("ab12", KNOWN, "orchestration"),
    2,
    "ambiguous",
    "ab12cd34ef56",
    "ab12ff000000",
  );
  const many = Array.from(
    { length: 15 },
    (_, i) => `abcd${String(i).padStart(8, "0")}`,
  );
  const err = assertMaosError(
    () => resolveIdPrefix("abcd", many, "checkpoint"),
    2,
  );
  assertIncludes(err.message, "…");
});

Deno.test("invalid characters, too short or too long prefixes are code 2 before any lookup", () => {
  // The bad values are even in `known`: validation comes first.
  const known = ["../x", "ab/c", ...KNOWN];
  for (
    const bad of [
      "../x",
      "ab/c",
      "abc",
      "",
      "ab12cd34ef56a",
      "ab 12",
      "ab12\0",
      "ghij",
      "ab12/..",
    ]
  ) {
    assertMaosError(
      () => resolveIdPrefix(bad, known, "orchestration"),
      2,
      "invalid",
    );
    assertMaosError(() => assertIdPrefix(bad, "checkpoint"), 2, "checkpoint");
  }
});

Deno.test("paths refuse ids and agent ids that could escape the .maos directory", () => {
  const paths = new MaosPaths("/project/.maos");
  for (const bad of ["../x", "ab/c", "..", "ab12", "AB12CD34EF56"]) {
    assertMaosError(() => paths.orchestration(bad), 2);
    assertMaosError(() => paths.events(bad), 2);
    assertMaosError(() => paths.checkpoint(bad), 2);
  }
  for (const bad of ["../x", "a/b", "Dev", "1dev", "", "a".repeat(50)]) {
    assertMaosError(() => assertAgentId(bad), 2, "invalid agent id");
    assertMaosError(() => paths.agentOutput("ab12cd34ef56", bad), 2);
  }
  assertEquals(
    paths.agentOutput("ab12cd34ef56", "developer-001"),
    "/project/.maos/orchestrations/ab12cd34ef56/agents/developer-001.jsonl",
  );
});
