import { assertEquals } from "./_test_assert.ts";
import { findProgram } from "./find_program.ts";
import { FIXTURES } from "./_test_helpers.ts";

Deno.test("a bare name is found in PATH, in PATH order", () => {
  assertEquals(
    findProgram("fake-claude", `/nonexistent:${FIXTURES}`),
    `${FIXTURES}fake-claude`,
  );
});

Deno.test("a name with a slash is taken as a path", () => {
  assertEquals(
    findProgram(`${FIXTURES}fake-agent`, ""),
    `${FIXTURES}fake-agent`,
  );
  assertEquals(findProgram(`${FIXTURES}missing`, FIXTURES), undefined);
});

Deno.test("a missing program, a directory or a file that is not executable is not found", () => {
  assertEquals(findProgram("maos-no-such-program", "/usr/bin:/bin"), undefined);
  assertEquals(findProgram("fixtures", `${FIXTURES}..`), undefined);
  assertEquals(findProgram("watchdog_host.ts", FIXTURES), undefined);
});
