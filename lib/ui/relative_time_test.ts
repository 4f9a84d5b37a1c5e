import assert from "node:assert/strict";
import { formatDuration, relativeTime } from "./relative_time.ts";

const now = new Date("2026-06-15T12:00:00.000Z");
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const S = 1000, M = 60 * S, H = 60 * M, D = 24 * H;

Deno.test("under ten seconds ago reads just now", () => {
  assert.equal(relativeTime(ago(0), now), "just now");
  assert.equal(relativeTime(ago(9_999), now), "just now");
});

Deno.test("seconds are counted from ten to fifty-nine", () => {
  assert.equal(relativeTime(ago(10 * S), now), "10 seconds ago");
  assert.equal(relativeTime(ago(12 * S), now), "12 seconds ago");
  assert.equal(relativeTime(ago(59_999), now), "59 seconds ago");
});

Deno.test("minutes, hours, days, months and years switch at their boundaries", () => {
  assert.equal(relativeTime(ago(M), now), "1 minute ago");
  assert.equal(relativeTime(ago(5 * M + 59 * S), now), "5 minutes ago");
  assert.equal(relativeTime(ago(H - 1), now), "59 minutes ago");
  assert.equal(relativeTime(ago(H), now), "1 hour ago");
  assert.equal(relativeTime(ago(D - 1), now), "23 hours ago");
  assert.equal(relativeTime(ago(D), now), "1 day ago");
  assert.equal(relativeTime(ago(2 * D), now), "2 days ago");
  assert.equal(relativeTime(ago(30 * D - 1), now), "29 days ago");
  assert.equal(relativeTime(ago(30 * D), now), "1 month ago");
  assert.equal(relativeTime(ago(95 * D), now), "3 months ago");
  assert.equal(relativeTime(ago(360 * D - 1), now), "11 months ago");
  assert.equal(relativeTime(ago(365 * D), now), "1 year ago");
  assert.equal(relativeTime(ago(3 * 365 * D), now), "3 years ago");
});

Deno.test("a time in the future reads in N units, small skew reads just now", () => {
  assert.equal(relativeTime(ago(-5 * S), now), "just now");
  assert.equal(relativeTime(ago(-5 * M), now), "in 5 minutes");
});

Deno.test("a non-date is a RangeError naming the input", () => {
  assert.throws(() => relativeTime("yesterday-ish", now), {
    name: "RangeError",
    message: /"yesterday-ish"/,
  });
});

Deno.test("durations use the two largest units and never round up", () => {
  assert.equal(formatDuration(0), "0ms");
  assert.equal(formatDuration(850), "850ms");
  assert.equal(formatDuration(999.9), "999ms");
  assert.equal(formatDuration(1000), "1s");
  assert.equal(formatDuration(12_400), "12s");
  assert.equal(formatDuration(59_999), "59s");
  assert.equal(formatDuration(60_000), "1m 00s");
  assert.equal(formatDuration(185_000), "3m 05s");
  assert.equal(formatDuration(H - 1), "59m 59s");
  assert.equal(formatDuration(H), "1h 00m");
  assert.equal(formatDuration(H + 2 * M + 59 * S), "1h 02m");
  assert.equal(formatDuration(26 * H), "26h 00m");
});

Deno.test("negative or non-finite durations read 0ms", () => {
  assert.equal(formatDuration(-5), "0ms");
  assert.equal(formatDuration(NaN), "0ms");
});
