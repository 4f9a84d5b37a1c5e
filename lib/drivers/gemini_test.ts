import { assertEquals } from "./_test_assert.ts";
import { geminiArgs } from "./gemini.ts";
import { geminiPermissions } from "./gemini_permissions.ts";
import { makeRun } from "./_test_helpers.ts";

Deno.test("geminiArgs: -p, stream-json and the approval mode; -m, --resume and extra arguments when given", () => {
  const { run } = makeRun();
  assertEquals(geminiArgs(run, {}, geminiPermissions(), "Do it"), [
    "-p",
    "Do it",
    "-o",
    "stream-json",
    "--approval-mode",
    "auto_edit",
  ]);
  const { run: resumed } = makeRun({ sessionId: "s-1" });
  assertEquals(
    geminiArgs(
      resumed,
      { model: "gemini-2.5-pro", extraArgs: ["--debug"] },
      geminiPermissions({ mode: "plan" }),
      "",
    ),
    [
      "-p",
      "Follow the instructions above.",
      "-o",
      "stream-json",
      "--approval-mode",
      "plan",
      "-m",
      "gemini-2.5-pro",
      "--resume",
      "s-1",
      "--debug",
    ],
  );
});
