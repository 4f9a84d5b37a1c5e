import { assertEquals } from "../drivers/_test_assert.ts";
import {
  callKey,
  describeCall,
  ruleForCall,
  ruleProblem,
  shortInput,
} from "./rules.ts";

Deno.test("rules in Claude Code's syntax pass; broken ones say what is wrong", () => {
  for (
    const ok of [
      "Bash",
      "Bash(npm test:*)",
      "Bash(node test.js)",
      "Edit",
      "Edit(src/**)",
      "WebFetch(domain:example.org)",
      "mcp__maos__send_message",
      "Bash(echo (a))",
    ]
  ) assertEquals(ruleProblem(ok), undefined, ok);
  assertEquals(ruleProblem(""), "the rule is empty");
  assertEquals(ruleProblem("Bash(npm test"), "missing ')' at the end");
  assertEquals(
    ruleProblem("Bash()"),
    "empty '()': write 'Bash' for every call",
  );
  assertEquals(
    ruleProblem("bash(ls)"),
    "tool names start with a capital letter: 'Bash'",
  );
  assertEquals(ruleProblem("Bash(a))"), "unbalanced parentheses");
  assertEquals(
    ruleProblem("Bash(npm:* test)"),
    "':*' (prefix match) may only end a Bash rule",
  );
  assertEquals(ruleProblem(" Edit"), "leading or trailing spaces");
  assertEquals(ruleProblem("Web Fetch")?.startsWith("'Web Fetch'"), true);
});

Deno.test("a call reads as tool and command, path or URL; --always gets the exact rule", () => {
  const bash = { tool: "Bash", input: { command: "node  test.js\n" } };
  assertEquals(describeCall(bash), "Bash: node test.js");
  assertEquals(describeCall(bash, " "), "Bash node test.js");
  // The rule is the command as given (Claude matches it exactly).
  assertEquals(
    ruleForCall({ tool: "Bash", input: { command: "node test.js" } }),
    "Bash(node test.js)",
  );
  assertEquals(
    ruleForCall({ tool: "Bash", input: { command: "echo $(date)" } }),
    "Bash",
  );
  assertEquals(
    ruleForCall({ tool: "WebFetch", input: { url: "https://x.org/a" } }),
    "WebFetch(domain:x.org)",
  );
  assertEquals(
    describeCall({ tool: "Write", input: { file_path: "/p/a.txt" } }),
    "Write: /p/a.txt",
  );
  assertEquals(ruleForCall({ tool: "Write", input: {} }), "Write");
});

Deno.test("the same call has the same key whatever Bash's description says; another input another key", () => {
  const a = callKey({
    tool: "Bash",
    input: { command: "node test.js", description: "run tests" },
  });
  const b = callKey({
    tool: "Bash",
    input: { description: "again", command: "node test.js" },
  });
  assertEquals(a, b);
  assertEquals(
    a === callKey({ tool: "Bash", input: { command: "node test.js -v" } }),
    false,
  );
  // Key order does not matter; the tool does.
  assertEquals(
    callKey({ tool: "Write", input: { file_path: "x", content: "1" } }),
    callKey({ tool: "Write", input: { content: "1", file_path: "x" } }),
  );
  assertEquals(
    callKey({ tool: "Edit", input: { file_path: "x" } }) ===
      callKey({ tool: "Write", input: { file_path: "x" } }),
    false,
  );
});

Deno.test("inputs are cut so an inbox line stays small", () => {
  const long = shortInput({ content: "x".repeat(5000), file_path: "/a" });
  assertEquals((long.content as string).length, 300);
  assertEquals(long.file_path, "/a");
  const many = shortInput(
    Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`k${i}`, "y".repeat(200)]),
    ),
  );
  assertEquals(Object.keys(many), ["summary"]);
});
