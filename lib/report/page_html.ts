/**
 * One report page as a string of HTML: markup, style, script and data all
 * inline, and a Content-Security-Policy that forbids every network request
 * (the live page may only call back to the server that served it).
 *
 * @module
 */
import type { ReportData } from "./report_data.ts";
import { SCRIPT_CORE } from "./page_script_core.ts";
import { SCRIPT_MESSAGES } from "./page_script_messages.ts";
import { SCRIPT_TIMELINE } from "./page_script_timeline.ts";
import { PAGE_STYLE } from "./page_style.ts";

/** How the live page asks for news (maos ui). */
export interface LiveOptions {
  /** The data endpoint, with its token; `&since=SEQ` is appended. */
  dataUrl: string;
  intervalMs: number;
  /** The page listing every orchestration, with its token. */
  indexUrl: string;
}

const MESSAGE_KINDS = ["discovery", "request", "broadcast", "info", "error"];

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON that is safe inside a `<script>` element: no `<`, `>` or `&` (so no
 * `</script>` or `<!--` can end it early) and no U+2028/2029.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The Content-Security-Policy of a page: nothing may load but what is inline. */
export function pagePolicy(live: boolean): string {
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "script-src 'unsafe-inline'",
    "img-src data:",
    live ? "connect-src 'self'" : "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** The whole page for `data`; with `live`, it polls the server for new events. */
export function reportHtml(data: ReportData, live?: LiveOptions): string {
  const title = `maos ${data.header.id.slice(0, 8)} — ${
    data.header.request.slice(0, 80)
  }`;
  const kinds = MESSAGE_KINDS.map((k) => `<option value="${k}">${k}</option>`)
    .join("");
  const legend = [
    ["#69db7c", "turn completed"],
    ["#ff8787", "failed"],
    ["#ffd43b", "paused"],
    ["#b197fc", "interrupted"],
    ["#74c0fc", "running"],
    ["rgba(224,49,49,0.35)", "crash gap"],
    ["#f08c00", "pause"],
    ["#1c7ed6", "resume"],
    ["#7048e8", "restore / fork"],
    ["#adb5bd", "checkpoint"],
    ["#e8590c", "approval"],
    ["#c92a2a", "refused"],
  ].map(([color, name]) =>
    `<span><i style="background:${color}"></i>${name}</span>`
  )
    .join("");
  const nav = live
    ? `<nav><a href="${
      escapeHtml(live.indexUrl)
    }">← all orchestrations</a><span id="live-state" class="muted"></span></nav>`
    : `<span id="live-state" hidden></span>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${
    pagePolicy(Boolean(live))
  }">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="maos orchestration report">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
${nav}
<header id="head"></header>
<h2>Timeline</h2>
<div class="toolbar">
<button id="zoom-in" type="button" title="zoom in">+</button>
<button id="zoom-out" type="button" title="zoom out">−</button>
<button id="zoom-reset" type="button" title="show the whole run (double-click the timeline)">whole run</button>
<span class="muted">wheel: zoom · drag: pan · click a mark: details</span>
</div>
<div class="legend">${legend}</div>
<div id="timeline-wrap"><canvas id="timeline" role="img" aria-label="timeline: one lane per agent, turns, marks and messages"></canvas><div id="lanes"></div><div id="tip"></div></div>
<h2>Cost over time</h2>
<svg id="cost" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="cost over time"></svg>
<div id="cost-legend" class="legend"></div>
<h2>Messages</h2>
<div class="toolbar">
<select id="f-agent" aria-label="agent"></select>
<select id="f-kind" aria-label="kind"><option value="">every kind</option>${kinds}</select>
<input id="f-search" type="search" placeholder="search the messages" aria-label="search">
<span id="f-count" class="muted"></span>
</div>
<div class="msgs"><div id="msg-list"></div><div id="msg-detail"><span class="muted">Click a message, or its mark on the timeline.</span></div></div>
<h2>Files changed</h2>
<div id="files" class="files"></div>
</main>
<script type="application/json" id="maos-data">${scriptJson(data)}</script>
${
    live
      ? `<script type="application/json" id="maos-live">${
        scriptJson(live)
      }</script>`
      : ""
  }
<script>
(function () {
"use strict";
${SCRIPT_CORE}
${SCRIPT_TIMELINE}
${SCRIPT_MESSAGES}
})();
</script>
</body>
</html>
`;
}
