/**
 * The report page's script, first part: the data, formatting, the header,
 * the cost chart and the files tables. Plain browser JavaScript kept as a
 * string and inlined in the page; every text from the log goes in through
 * `textContent` (never as HTML), since agents' words are untrusted.
 * (No backticks in here: the string is a String.raw template.)
 *
 * @module
 */
export const SCRIPT_CORE = String.raw`
var D = JSON.parse(document.getElementById("maos-data").textContent);
var liveEl = document.getElementById("maos-live");
var LIVE = liveEl ? JSON.parse(liveEl.textContent) : null;
var KIND_COLOR = { discovery: "#2b8a3e", request: "#d9480f", broadcast: "#1971c2", info: "#5c7cfa", error: "#e03131" };
var OUTCOME_COLOR = { running: "#74c0fc", completed: "#69db7c", failed: "#ff8787", paused: "#ffd43b", interrupted: "#b197fc" };
var MARK_COLOR = { start: "#495057", pause: "#f08c00", crash: "#e03131", resume: "#1c7ed6", restore: "#7048e8", fork: "#ae3ec9", checkpoint: "#adb5bd", end: "#212529", approval: "#e8590c", denied: "#c92a2a", budget: "#c2255c" };
var PALETTE = ["#1c7ed6", "#e8590c", "#2f9e44", "#ae3ec9", "#f08c00", "#0c8599", "#c2255c", "#5f3dc4", "#66a80f", "#868e96"];
var S = { sel: null, filtered: [], shown: null, filterActive: false, lower: null, t0: 0, t1: 1, follow: true };
var laneIndex = {};

function byId(id) { return document.getElementById(id); }
/** "Now" for what still runs: the clock on the live page, the moment of writing in a file. */
function nowMs() { return LIVE ? Date.now() : D.generatedAt; }
function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
function pad(n) { return n < 10 ? "0" + n : String(n); }
function fmtClock(ms) {
  var d = new Date(ms);
  return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
}
function fmtDate(ms) {
  if (ms == null) return "—";
  var d = new Date(ms);
  return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + fmtClock(ms);
}
function fmtDur(ms) {
  if (ms == null) return "—";
  if (ms < 1000) return Math.round(ms) + " ms";
  var s = Math.round(ms / 1000);
  if (s < 60) return (ms / 1000).toFixed(1) + " s";
  var m = Math.floor(s / 60);
  if (m < 60) return m + " min " + (s % 60) + " s";
  return Math.floor(m / 60) + " h " + (m % 60) + " min";
}
function fmtUsd(n) { return "$" + Number(n).toFixed(4); }
function fmtInt(n) { return Number(n).toLocaleString("en-US"); }
function laneColor(i) { return PALETTE[i % PALETTE.length]; }

function indexLanes() {
  laneIndex = {};
  for (var i = 0; i < D.lanes.length; i++) laneIndex[D.lanes[i].id] = i;
}

/** The time span of everything drawn, padded a little on both sides. */
function fullRange() {
  var lo = D.header.startedAt, hi = D.header.lastAt;
  function see(t) {
    if (t == null) return;
    if (lo == null || t < lo) lo = t;
    if (hi == null || t > hi) hi = t;
  }
  if (D.turns.length) see(D.turns[0].start);
  if (D.marks.length) see(D.marks[0].at);
  if (D.messages.length) { see(D.messages[0][1]); see(D.messages[D.messages.length - 1][1]); }
  if (lo == null) lo = D.generatedAt;
  if (D.header.status === "running") see(nowMs());
  if (hi == null || hi <= lo) hi = lo + 1000;
  var padding = (hi - lo) * 0.02;
  return [lo - padding, hi + padding];
}

/** "$0.40 of $1.00 · reached" from a budget event's fields (issue 15's), else them as logged. */
function budgetText(b, h) {
  var parts = [];
  if (typeof b.usd === "number") parts.push(fmtUsd(typeof b.spentUsd === "number" ? b.spentUsd : h.cost) + " of " + fmtUsd(b.usd));
  if (typeof b.tokens === "number") parts.push(fmtInt(typeof b.spentTokens === "number" ? b.spentTokens : h.inputTokens + h.outputTokens) + " of " + fmtInt(b.tokens) + " tokens");
  if (b.reached) parts.push("reached");
  if (parts.length) return parts.join(" · ");
  return Object.keys(b).filter(function (k) { return k !== "event"; })
    .map(function (k) { return k + " " + JSON.stringify(b[k]); }).join(" · ") || String(b.event);
}

function renderHeader() {
  var h = D.header;
  var root = byId("head");
  root.textContent = "";
  var title = el("h1", null, "Orchestration " + h.id.slice(0, 8) + " ");
  title.appendChild(el("span", "badge st-" + h.status, h.status));
  if (LIVE) title.appendChild(el("span", "live", "  ● live"));
  root.appendChild(title);
  root.appendChild(el("p", "request", h.request));
  var figs = el("div", "figures");
  function fig(name, value, exact) {
    var f = el("div", "figure");
    f.appendChild(el("b", null, name));
    f.appendChild(el("span", null, value));
    if (exact) f.title = exact;
    f.setAttribute("data-figure", name.toLowerCase());
    figs.appendChild(f);
  }
  var utc = function (ms) { return ms == null ? "" : new Date(ms).toISOString() + " (UTC)"; };
  fig("Started", fmtDate(h.startedAt), utc(h.startedAt));
  fig("Ended", h.endedAt == null ? (h.status === "running" ? "still running" : "— (" + h.status + ")") : fmtDate(h.endedAt), utc(h.endedAt));
  fig("Duration", fmtDur(h.durationMs));
  fig("Tasks", h.tasksDone + " / " + h.tasksTotal + " done");
  fig("Messages", fmtInt(h.messages));
  fig("Cost", fmtUsd(h.cost));
  fig("Tokens", fmtInt(h.inputTokens) + " in · " + fmtInt(h.outputTokens) + " out");
  fig("Agents", String(D.lanes.filter(function (l) { return l.agent; }).length));
  if (h.budget) fig("Budget", budgetText(h.budget, h));
  var refused = D.marks.filter(function (m) { return m.kind === "denied"; }).length;
  if (refused) fig("Refused tool calls", String(refused));
  if (h.approvals.length) {
    var open = h.approvals.filter(function (a) { return !a.decision; }).length;
    fig("Approvals", h.approvals.length + " asked · " + open + " open");
  }
  root.appendChild(figs);
  var tasks = el("table", "tasks");
  var head = el("tr");
  ["Task", "Agent", "Title", "Status"].forEach(function (n) { head.appendChild(el("th", null, n)); });
  tasks.appendChild(head);
  D.tasks.forEach(function (t) {
    var tr = el("tr");
    tr.setAttribute("data-task", t.id);
    [t.id, t.agent, t.title, t.status].forEach(function (v) { tr.appendChild(el("td", null, v)); });
    tasks.appendChild(tr);
  });
  var details = el("details");
  if (D.tasks.length <= 8) details.open = true;
  details.appendChild(el("summary", null, D.tasks.length + (D.tasks.length === 1 ? " task" : " tasks")));
  details.appendChild(tasks);
  root.appendChild(details);
  if (h.approvals.length) {
    var asked = el("table", "approvals");
    var top = el("tr");
    ["#", "Agent", "Tool", "Asked", "Answer"].forEach(function (n) { top.appendChild(el("th", null, n)); });
    asked.appendChild(top);
    h.approvals.forEach(function (a) {
      var tr = el("tr");
      [String(a.n), a.agent, a.tool, fmtDate(a.at), a.decision || "waiting"].forEach(function (v) { tr.appendChild(el("td", null, v)); });
      asked.appendChild(tr);
    });
    var box = el("details");
    box.appendChild(el("summary", null, h.approvals.length + (h.approvals.length === 1 ? " approval" : " approvals")));
    box.appendChild(asked);
    root.appendChild(box);
  }
  document.title = "maos " + h.id.slice(0, 8) + " — " + h.request.slice(0, 80);
}

var SVG = "http://www.w3.org/2000/svg";
function svgEl(tag, attrs) {
  var e = document.createElementNS(SVG, tag);
  for (var k in attrs) e.setAttribute(k, String(attrs[k]));
  return e;
}

/** Cumulative cost per agent and in total, as step lines over the run's time. */
function renderCost() {
  var svg = byId("cost"), legend = byId("cost-legend");
  svg.textContent = "";
  legend.textContent = "";
  var W = svg.clientWidth || 900, H = 220, L = 64, R = 12, T = 12, B = 26;
  svg.setAttribute("viewBox", "0 0 " + W + " " + H);
  svg.style.height = D.cost.length ? "220px" : "60px";
  if (!D.cost.length) {
    H = 60;
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    var none = svgEl("text", { x: W / 2, y: H / 2, "text-anchor": "middle", fill: "#656d76" });
    none.textContent = "No cost recorded (shell and simulated agents cost nothing)";
    svg.appendChild(none);
    return;
  }
  var usd = D.header.cost > 0;
  var range = fullRange();
  var ymax = 0;
  D.cost.forEach(function (p) { ymax = Math.max(ymax, usd ? p.totalUsd : p.totalTokens); });
  if (ymax <= 0) ymax = 1;
  function x(t) { return L + (t - range[0]) / (range[1] - range[0]) * (W - L - R); }
  function y(v) { return T + (1 - v / ymax) * (H - T - B); }
  svg.appendChild(svgEl("line", { x1: L, y1: T, x2: L, y2: H - B, stroke: "#d0d7de" }));
  svg.appendChild(svgEl("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#d0d7de" }));
  function label(tx, ty, text, anchor) {
    var t = svgEl("text", { x: tx, y: ty, "font-size": 11, fill: "#656d76", "text-anchor": anchor || "start" });
    t.textContent = text;
    svg.appendChild(t);
  }
  label(L - 4, T + 8, usd ? fmtUsd(ymax) : fmtInt(ymax) + " tok", "end");
  label(L - 4, H - B, usd ? "$0" : "0", "end");
  label(L, H - 8, fmtClock(range[0]));
  label(W - R, H - 8, fmtClock(range[1]), "end");
  function series(points, value, color, width, name) {
    var d = "", last = null;
    points.forEach(function (p) {
      var px = x(p.at).toFixed(1), py = y(value(p)).toFixed(1);
      d += last === null ? "M" + px + " " + py : " H" + px + " V" + py;
      last = p;
    });
    if (last) d += " H" + x(range[1]).toFixed(1);
    var path = svgEl("path", { d: d, fill: "none", stroke: color, "stroke-width": width });
    path.setAttribute("data-series", name);
    svg.appendChild(path);
    var item = el("span");
    var sw = el("i");
    sw.style.background = color;
    item.appendChild(sw);
    item.appendChild(document.createTextNode(name + " " + (usd ? fmtUsd(value(last)) : fmtInt(value(last)) + " tokens")));
    legend.appendChild(item);
  }
  D.lanes.forEach(function (lane, i) {
    var pts = D.cost.filter(function (p) { return p.agent === lane.id; });
    if (pts.length) series(pts, function (p) { return usd ? p.usd : p.tokens; }, laneColor(i), 1.5, lane.id);
  });
  series(D.cost, function (p) { return usd ? p.totalUsd : p.totalTokens; }, "#212529", 2.5, "total");
}

function renderFiles() {
  var root = byId("files");
  root.textContent = "";
  D.files.forEach(function (a) {
    var box = el("section");
    box.setAttribute("data-agent", a.agent);
    var added = 0, removed = 0;
    a.files.forEach(function (f) { added += f.added || 0; removed += f.removed || 0; });
    var h = el("h3", null, a.agent + " ");
    h.appendChild(el("span", "muted", a.files.length + " files "));
    h.appendChild(el("span", "add", "+" + added));
    h.appendChild(document.createTextNode(" "));
    h.appendChild(el("span", "del", "−" + removed));
    box.appendChild(h);
    if (!a.files.length) {
      box.appendChild(el("p", "muted", a.note || "no files changed"));
    } else {
      var table = el("table");
      a.files.slice(0, 500).forEach(function (f) {
        var tr = el("tr");
        tr.appendChild(el("td", null, f.path));
        tr.appendChild(el("td", "num add", f.added == null ? "binary" : "+" + f.added));
        tr.appendChild(el("td", "num del", f.removed == null ? "" : "−" + f.removed));
        table.appendChild(tr);
      });
      box.appendChild(table);
      if (a.files.length > 500) box.appendChild(el("p", "muted", (a.files.length - 500) + " more files not shown"));
    }
    root.appendChild(box);
  });
}
`;
