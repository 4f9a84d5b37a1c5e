/**
 * Human times: "5 minutes ago" and "3m 05s".
 *
 * @module
 */

import { plural } from "./plural.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Under this, "12 seconds ago" is noise; clock skew also lands here.
const JUST_NOW_MS = 10 * SECOND;

// Each unit is used while the count stays below `below` of it.
const UNITS: { name: string; ms: number; below: number }[] = [
  { name: "second", ms: SECOND, below: 60 },
  { name: "minute", ms: MINUTE, below: 60 },
  { name: "hour", ms: HOUR, below: 24 },
  { name: "day", ms: DAY, below: 30 },
  { name: "month", ms: 30 * DAY, below: 12 },
  { name: "year", ms: 365 * DAY, below: Infinity },
];

/**
 * How long ago `iso` was, seen from `now`, counted down to whole units.
 *
 * Future times (beyond a few seconds of skew) read "in 5 minutes".
 *
 * @throws {RangeError} when `iso` is not a date.
 * @example
 * ```ts
 * const now = new Date("2026-01-01T12:00:00Z");
 * relativeTime("2026-01-01T11:55:00Z", now); // "5 minutes ago"
 * relativeTime("2026-01-01T11:59:58Z", now); // "just now"
 * ```
 */
export function relativeTime(iso: string, now: Date): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) {
    throw new RangeError(`relativeTime: not a date: ${JSON.stringify(iso)}`);
  }
  const diff = now.getTime() - then;
  const abs = Math.abs(diff);
  if (abs < JUST_NOW_MS) return "just now";
  const unit = UNITS.find((u) => Math.floor(abs / u.ms) < u.below) ??
    UNITS[UNITS.length - 1];
  const n = Math.floor(abs / unit.ms);
  const phrase = plural(n, unit.name);
  return diff >= 0 ? `${phrase} ago` : `in ${phrase}`;
}

/**
 * A duration in the two largest units, truncated (never rounded up).
 *
 * @example
 * ```ts
 * formatDuration(3_725_000); // "1h 02m"
 * formatDuration(185_000); // "3m 05s"
 * formatDuration(12_400); // "12s"
 * formatDuration(850); // "850ms"
 * ```
 */
export function formatDuration(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.floor(ms) : 0;
  if (total < SECOND) return `${total}ms`;
  if (total < MINUTE) return `${Math.floor(total / SECOND)}s`;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (total < HOUR) {
    const m = Math.floor(total / MINUTE);
    return `${m}m ${pad(Math.floor((total % MINUTE) / SECOND))}s`;
  }
  const h = Math.floor(total / HOUR);
  return `${h}h ${pad(Math.floor((total % HOUR) / MINUTE))}m`;
}
