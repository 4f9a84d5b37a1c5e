/**
 * Icons for statuses and message types, so every command shows the same ones.
 *
 * @module
 */

import type { MessageKind, WorkStatus } from "../../store/schema.ts";
import type { Colors } from "./color.ts";

/** A status of an orchestration, agent or task (DESIGN.md §5). */
export type Status = WorkStatus;

/** A kind of message on the bus. */
export type MessageType = MessageKind;

/** The icon for each status. */
export const STATUS_ICONS: Readonly<Record<Status, string>> = {
  running: "🔄",
  paused: "⏸️",
  interrupted: "⚠️",
  completed: "✅",
  failed: "❌",
  pending: "⏳",
};

/** The icon for each message type. */
export const MESSAGE_ICONS: Readonly<Record<MessageType, string>> = {
  discovery: "💡",
  request: "❓",
  broadcast: "📢",
  info: "ℹ️",
  error: "🚨",
};

// Shown for a value newer than this build knows, rather than crashing.
const UNKNOWN_ICON = "•";

const STATUS_COLOR: Record<Status, keyof Omit<Colors, "enabled">> = {
  running: "cyan",
  paused: "yellow",
  interrupted: "yellow",
  completed: "green",
  failed: "red",
  pending: "gray",
};

/** The icon for a status, or "•" for one this build does not know. */
export function statusIcon(status: Status): string {
  return STATUS_ICONS[status] ?? UNKNOWN_ICON;
}

/**
 * Icon and word for a status; the word is coloured when `colors` is given
 * and enabled.
 *
 * @example
 * ```ts
 * statusLabel("running"); // "🔄 running"
 * ```
 */
export function statusLabel(status: Status, colors?: Colors): string {
  const paint = colors?.[STATUS_COLOR[status] ?? "gray"];
  return `${statusIcon(status)} ${paint ? paint(status) : status}`;
}

/** The icon for a message type, or "•" for one this build does not know. */
export function messageIcon(type: MessageType): string {
  return MESSAGE_ICONS[type] ?? UNKNOWN_ICON;
}
