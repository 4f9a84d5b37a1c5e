import assert from "node:assert/strict";
import { createColors } from "./color.ts";
import { messageIcon, type Status, statusIcon, statusLabel } from "./icons.ts";

Deno.test("each status has its icon", () => {
  assert.equal(statusIcon("running"), "🔄");
  assert.equal(statusIcon("paused"), "⏸️");
  assert.equal(statusIcon("interrupted"), "⚠️");
  assert.equal(statusIcon("completed"), "✅");
  assert.equal(statusIcon("failed"), "❌");
  assert.equal(statusIcon("pending"), "⏳");
});

Deno.test("a status label is the icon, a space and the word", () => {
  assert.equal(statusLabel("running"), "🔄 running");
  assert.equal(statusLabel("completed"), "✅ completed");
  assert.equal(statusLabel("failed", createColors(false)), "❌ failed");
});

Deno.test("a coloured status label colours only the word", () => {
  const c = createColors(true);
  assert.equal(statusLabel("failed", c), `❌ ${c.red("failed")}`);
  assert.equal(statusLabel("completed", c), `✅ ${c.green("completed")}`);
});

Deno.test("an unknown status from a newer build shows a bullet, not a crash", () => {
  assert.equal(statusLabel("archived" as Status), "• archived");
});

Deno.test("each message type has its icon", () => {
  assert.equal(messageIcon("discovery"), "💡");
  assert.equal(messageIcon("request"), "❓");
  assert.equal(messageIcon("broadcast"), "📢");
  assert.equal(messageIcon("info"), "ℹ️");
  assert.equal(messageIcon("error"), "🚨");
});
