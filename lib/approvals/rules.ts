/**
 * The syntax of one permission rule, and how a tool call is named and
 * identified (the approvals room: see mod.ts).
 *
 * @module
 */
import { createHash } from "node:crypto";

/**
 * What is wrong with a rule in Claude Code's syntax — `Tool` or
 * `Tool(specifier)`, e.g. `Bash(npm test:*)`, `Edit`, `WebFetch(domain:x.org)`,
 * `mcp__server__tool` — or undefined when it is fine.
 *
 * @example
 * ruleProblem("Bash(npm test"); // "missing ')' at the end"
 * ruleProblem("Bash(node test.js)"); // undefined
 */
export function ruleProblem(rule: string): string | undefined {
  if (rule.trim() === "") return "the rule is empty";
  if (rule !== rule.trim()) return "leading or trailing spaces";
  const open = rule.indexOf("(");
  const name = open === -1 ? rule : rule.slice(0, open);
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
    return `'${name}' is not a tool name (letters, digits, '_' or '-', e.g. Bash, Edit, mcp__server__tool)`;
  }
  if (!name.startsWith("mcp__") && !/^[A-Z]/.test(name)) {
    return `tool names start with a capital letter: '${
      name[0].toUpperCase() + name.slice(1)
    }'`;
  }
  if (open === -1) return undefined;
  if (!rule.endsWith(")")) return "missing ')' at the end";
  const specifier = rule.slice(open + 1, -1);
  if (specifier.trim() === "") {
    return `empty '()': write '${name}' for every call`;
  }
  let depth = 0;
  for (const ch of specifier) {
    depth += ch === "(" ? 1 : ch === ")" ? -1 : 0;
    if (depth < 0) return "unbalanced parentheses";
  }
  if (depth !== 0) return "unbalanced parentheses";
  if (
    name === "Bash" && specifier.includes(":*") && !specifier.endsWith(":*")
  ) {
    return "':*' (prefix match) may only end a Bash rule";
  }
  return undefined;
}

/** A call as the CLI asked for it. */
export interface ToolCallView {
  tool: string;
  input: Record<string, unknown>;
}

/**
 * The call on one line for people: `Bash: node test.js`, `Write: /x/a.txt`
 * (`sep` " " gives `Bash node test.js`).
 */
export function describeCall(call: ToolCallView, sep = ": "): string {
  const { input } = call;
  const main = typeof input.command === "string"
    ? input.command
    : typeof input.file_path === "string"
    ? input.file_path
    : typeof input.url === "string"
    ? input.url
    : typeof input.cmd === "string"
    ? input.cmd
    : Object.keys(input).length
    ? JSON.stringify(input)
    : "";
  const line = main.replace(/\s+/g, " ").trim();
  const short = line.length > 120 ? `${line.slice(0, 119)}…` : line;
  return short ? `${call.tool}${sep}${short}` : call.tool;
}

/**
 * The rule `maos approval grant --always` adds for a call: the exact Bash
 * command, the fetched domain, else the tool itself.
 *
 * @example
 * ruleForCall({ tool: "Bash", input: { command: "node test.js" } }); // "Bash(node test.js)"
 */
export function ruleForCall(call: ToolCallView): string {
  const { tool, input } = call;
  if (tool === "Bash" && typeof input.command === "string") {
    const command = input.command.trim();
    // A command with parentheses cannot be one rule: allow the tool's prefix instead.
    if (command && !/[()]/.test(command)) return `Bash(${command})`;
  }
  if (tool === "WebFetch" && typeof input.url === "string") {
    try {
      return `WebFetch(domain:${new URL(input.url).hostname})`;
    } catch { /* not a URL: the tool */ }
  }
  return tool;
}

/**
 * Identifies one call: the tool and its whole input (Bash's free-text
 * `description` left out, the model words it anew each time), hashed.
 */
export function callKey(call: ToolCallView): string {
  const { description: _, ...rest } = call.input;
  const input = call.tool === "Bash" ? rest : call.input;
  return createHash("sha256").update(call.tool).update("\0")
    .update(canonical(input)).digest("hex").slice(0, 32);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${
      entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")
    }}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * The input as the log keeps it: each string cut to 300 characters and the
 * whole under ~2 KB, so an inbox line stays one atomic write (store/inbox.ts).
 */
export function shortInput(
  input: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    out[key] = typeof value === "string" && value.length > 300
      ? `${value.slice(0, 299)}…`
      : value;
  }
  const text = JSON.stringify(out);
  return text.length > 2000 ? { summary: `${text.slice(0, 1999)}…` } : out;
}
