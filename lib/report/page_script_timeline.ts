/**
 * The report page's script, second part: the timeline, drawn on a canvas
 * so 100,000 messages stay fast (marks are thinned to one per pixel per lane
 * and lines to recipients drawn only when few are in view); wheel zooms,
 * drag pans, a click on a mark shows what it is.
 * (No backticks in here: the string is a String.raw template.)
 *
 * @module
 */
export const SCRIPT_TIMELINE = String.raw`
var cv = byId("timeline"), ctx = cv.getContext("2d"), tip = byId("tip"), laneBox = byId("lanes");
var GUTTER = 150, AXIS = 24, LANE = 30, RIGHT = 10;
var STEPS = [10, 50, 100, 250, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 216e5, 432e5, 864e5];

// Read once per draw: clientWidth forces a layout, too slow for every mark.
var canvasWidth = 0;
function plotWidth() { return Math.max(10, canvasWidth - GUTTER - RIGHT); }
function xOf(t) { return GUTTER + (t - S.t0) / (S.t1 - S.t0) * plotWidth(); }
function tOf(x) { return S.t0 + (x - GUTTER) / plotWidth() * (S.t1 - S.t0); }
function laneY(i) { return AXIS + i * LANE + LANE / 2; }
function heightPx() { return AXIS + Math.max(1, D.lanes.length) * LANE + 6; }
function turnEnd(turn) { return turn.end == null ? Math.max(D.header.lastAt || turn.start, nowMs()) : turn.end; }

/** First message index with time >= t (messages are in log order, so by time). */
function firstAtOrAfter(t) {
  var lo = 0, hi = D.messages.length;
  while (lo < hi) { var mid = (lo + hi) >> 1; if (D.messages[mid][1] < t) lo = mid + 1; else hi = mid; }
  return lo;
}
function indexOfSeq(seq) {
  var lo = 0, hi = D.messages.length - 1;
  while (lo <= hi) {
    var mid = (lo + hi) >> 1, s = D.messages[mid][0];
    if (s === seq) return mid;
    if (s < seq) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

function sizeCanvas() {
  var dpr = window.devicePixelRatio || 1, h = heightPx();
  cv.style.height = h + "px";
  canvasWidth = cv.clientWidth;
  cv.width = Math.round(canvasWidth * dpr);
  cv.height = Math.round(h * dpr);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  laneBox.textContent = "";
  D.lanes.forEach(function (lane, i) {
    var label = el("div", "lane");
    label.setAttribute("data-agent", lane.id);
    label.title = lane.id + " · " + lane.role + (lane.driver ? " · " + lane.driver : "") +
      (lane.status ? " · " + lane.status : "") + " · " + fmtUsd(lane.cost) + " · " + fmtInt(lane.tokens) + " tokens";
    label.style.cssText = "position:absolute;left:6px;width:" + (GUTTER - 12) + "px;top:" + (AXIS + i * LANE) + "px;height:" + LANE + "px;line-height:" + LANE + "px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;font-size:12px;cursor:default";
    var name = el("b", null, lane.id);
    name.style.color = laneColor(i);
    label.appendChild(name);
    label.appendChild(el("span", "muted", " " + lane.role));
    laneBox.appendChild(label);
  });
}

function draw() {
  var drawStarted = performance.now();
  canvasWidth = cv.clientWidth;
  var w = canvasWidth, h = heightPx();
  ctx.clearRect(0, 0, w, h);
  ctx.font = "11px system-ui, sans-serif";
  for (var i = 0; i < D.lanes.length; i++) {
    ctx.fillStyle = i % 2 ? "#ffffff" : "#f8f9fa";
    ctx.fillRect(0, AXIS + i * LANE, w, LANE);
  }
  var span = S.t1 - S.t0, step = STEPS[STEPS.length - 1];
  for (var s = 0; s < STEPS.length; s++) { if (span / STEPS[s] <= plotWidth() / 90) { step = STEPS[s]; break; } }
  ctx.fillStyle = "#656d76";
  ctx.strokeStyle = "#eaeef2";
  for (var t = Math.ceil(S.t0 / step) * step; t <= S.t1; t += step) {
    var tx = xOf(t);
    ctx.beginPath(); ctx.moveTo(tx, AXIS - 4); ctx.lineTo(tx, h); ctx.stroke();
    var text = step < 1000 ? fmtClock(t) + "." + String(t % 1000).padStart(3, "0") : fmtClock(t);
    ctx.fillText(text, tx + 3, 14);
  }
  ctx.save();
  ctx.beginPath(); ctx.rect(GUTTER, 0, w - GUTTER, h); ctx.clip();
  var end = fullRange()[1];
  var pausedAt = null;
  D.marks.forEach(function (m) {
    if (m.kind === "pause") pausedAt = m.at;
    if ((m.kind === "resume" || m.kind === "restore") && pausedAt != null) {
      // While paused nothing runs: a light band up to the resume.
      ctx.fillStyle = "rgba(240,140,0,0.08)";
      ctx.fillRect(xOf(pausedAt), AXIS, Math.max(1, xOf(m.at) - xOf(pausedAt)), h - AXIS);
      pausedAt = null;
    }
    if (m.kind !== "crash") return;
    var x0 = xOf(m.at), x1 = xOf(m.until == null ? end : m.until);
    ctx.fillStyle = "rgba(224,49,49,0.15)";
    ctx.fillRect(x0, AXIS, Math.max(3, x1 - x0), h - AXIS);
  });
  D.turns.forEach(function (turn) {
    var li = laneIndex[turn.agent];
    if (li === undefined) return;
    var x0 = xOf(turn.start), x1 = xOf(turnEnd(turn));
    if (x1 < GUTTER || x0 > w) return;
    var y = laneY(li);
    ctx.fillStyle = OUTCOME_COLOR[turn.outcome] || "#ced4da";
    ctx.fillRect(x0, y - 9, Math.max(2, x1 - x0), 18);
    if (x1 - x0 > 50) {
      ctx.fillStyle = "#1f2328";
      ctx.save(); ctx.beginPath(); ctx.rect(x0, y - 9, x1 - x0, 18); ctx.clip();
      ctx.fillText(turn.title, Math.max(x0, GUTTER) + 4, y + 4);
      ctx.restore();
    }
  });
  D.marks.forEach(function (m) {
    var x = xOf(m.at);
    if (x < GUTTER - 2 || x > w + 2) return;
    ctx.strokeStyle = MARK_COLOR[m.kind] || "#495057";
    ctx.lineWidth = m.kind === "checkpoint" ? 1 : 2;
    ctx.setLineDash(m.kind === "checkpoint" ? [2, 3] : []);
    var li = m.agent !== undefined ? laneIndex[m.agent] : undefined;
    var y0 = li === undefined ? AXIS : AXIS + li * LANE, y1 = li === undefined ? h : y0 + LANE;
    ctx.beginPath(); ctx.moveTo(x, y0); ctx.lineTo(x, y1); ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = MARK_COLOR[m.kind] || "#495057";
    ctx.beginPath(); ctx.moveTo(x - 4, AXIS - 6); ctx.lineTo(x + 4, AXIS - 6); ctx.lineTo(x, AXIS); ctx.fill();
  });
  ctx.lineWidth = 1;
  var margin = span * 0.01;
  var lo = firstAtOrAfter(S.t0 - margin), hi = firstAtOrAfter(S.t1 + margin);
  var lines = hi - lo <= 1500;
  var taken = lines ? null : D.lanes.map(function () { return new Uint8Array(Math.ceil(w) + 2); });
  // One path per colour and shade, filled once: thousands of fill calls are
  // slow (and no closePath: fill closes each diamond, closePath costs a lot).
  var shapes = {}, links = {};
  function pathOf(map, key) { return map[key] || (map[key] = new Path2D()); }
  for (var k = lo; k < hi; k++) {
    var m = D.messages[k], from = laneIndex[m[2]];
    if (from === undefined) continue;
    var x = xOf(m[1]);
    var dim = S.filterActive && !S.shown[k];
    if (!lines) {
      var px = Math.max(0, Math.round(x));
      // A shown message wins its pixel over a dimmed one.
      if (taken[from][px] === 2 || (taken[from][px] === 1 && dim)) continue;
      taken[from][px] = dim ? 1 : 2;
    }
    var y = laneY(from), key = m[4] + (dim ? "|dim" : "");
    if (lines) {
      var link = pathOf(links, key);
      if (m[3] == null) { link.moveTo(x, AXIS); link.lineTo(x, h); }
      else if (laneIndex[m[3]] !== undefined) { link.moveTo(x, y); link.lineTo(x + 6, laneY(laneIndex[m[3]])); }
    }
    var shape = pathOf(shapes, key);
    if (lines) { shape.moveTo(x, y - 5); shape.lineTo(x + 4, y); shape.lineTo(x, y + 5); shape.lineTo(x - 4, y); }
    // Dense: a thin tick in the lane's lower half, so the turn bars stay readable.
    else shape.rect(x, y + 3, 1, 8);
  }
  Object.keys(links).forEach(function (key) {
    var dimmed = key.indexOf("|dim") > 0;
    ctx.strokeStyle = KIND_COLOR[key.split("|")[0]] || "#495057";
    ctx.globalAlpha = dimmed ? 0.06 : 0.35;
    ctx.stroke(links[key]);
  });
  Object.keys(shapes).forEach(function (key) {
    var dimmed = key.indexOf("|dim") > 0;
    ctx.fillStyle = KIND_COLOR[key.split("|")[0]] || "#495057";
    ctx.globalAlpha = dimmed ? 0.15 : 1;
    ctx.fill(shapes[key]);
  });
  ctx.globalAlpha = 1;
  if (S.sel != null && D.messages[S.sel]) {
    var sm = D.messages[S.sel], sl = laneIndex[sm[2]];
    if (sl !== undefined) {
      var sx = xOf(sm[1]), sy = laneY(sl);
      ctx.strokeStyle = "#e64980"; ctx.lineWidth = 2.5; ctx.setLineDash([4, 3]);
      ctx.beginPath();
      if (sm[3] == null) { ctx.moveTo(sx, AXIS); ctx.lineTo(sx, h); }
      else if (laneIndex[sm[3]] !== undefined) { ctx.moveTo(sx, sy); ctx.lineTo(sx + 6, laneY(laneIndex[sm[3]])); }
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.beginPath(); ctx.arc(sx, sy, 8, 0, Math.PI * 2); ctx.stroke();
      ctx.lineWidth = 1;
    }
  }
  ctx.restore();
  ctx.strokeStyle = "#d0d7de";
  ctx.beginPath(); ctx.moveTo(GUTTER, 0); ctx.lineTo(GUTTER, h); ctx.stroke();
  if (window.maosReport) window.maosReport.lastDrawMs = performance.now() - drawStarted;
}

// Wheel and drag send many events a frame: draw once per frame.
var drawQueued = false;
function requestDraw() {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(function () { drawQueued = false; draw(); });
}

/** What is under a point of the canvas: a message, else a mark, else a turn. */
function hitTest(x, y) {
  if (x < GUTTER) return null;
  var li = Math.floor((y - AXIS) / LANE);
  var lo = firstAtOrAfter(tOf(x - 7)), hi = firstAtOrAfter(tOf(x + 7)), best = -1, bestD = 1e9;
  for (var k = lo; k < hi; k++) {
    var m = D.messages[k];
    if (laneIndex[m[2]] !== li) continue;
    var d = Math.abs(xOf(m[1]) - x);
    if (d < bestD) { bestD = d; best = k; }
  }
  if (best >= 0) return { message: best };
  for (var i = 0; i < D.marks.length; i++) {
    if (Math.abs(xOf(D.marks[i].at) - x) <= 4) return { mark: D.marks[i] };
  }
  for (var j = 0; j < D.turns.length; j++) {
    var turn = D.turns[j];
    if (laneIndex[turn.agent] === li && x >= xOf(turn.start) - 2 && x <= xOf(turnEnd(turn)) + 2) return { turn: turn };
  }
  return null;
}

function describe(hit) {
  if (hit.message !== undefined) {
    var m = D.messages[hit.message];
    return "#" + m[0] + " " + m[4] + " " + m[2] + " → " + (m[3] || "all") + "\n" + m[5].slice(0, 300);
  }
  if (hit.mark) return hit.mark.label + "\n" + fmtDate(hit.mark.at) + (hit.mark.until ? " → " + fmtDate(hit.mark.until) : "");
  var t = hit.turn;
  return t.agent + ": " + t.title + " (" + t.outcome + ")\n" + fmtClock(t.start) + " → " + (t.end == null ? "now" : fmtClock(t.end)) + " · " + fmtDur(turnEnd(t) - t.start) + (t.summary ? "\n" + t.summary.slice(0, 300) : "");
}

function localPoint(e) {
  var r = cv.getBoundingClientRect();
  return { x: e.clientX - r.left, y: e.clientY - r.top };
}

function zoomAt(t, factor) {
  var full = fullRange();
  var span = Math.min(Math.max((S.t1 - S.t0) * factor, 20), (full[1] - full[0]) * 4);
  var ratio = (t - S.t0) / (S.t1 - S.t0);
  S.t0 = t - ratio * span;
  S.t1 = S.t0 + span;
  S.follow = false;
  requestDraw();
}
function resetView() {
  var full = fullRange();
  S.t0 = full[0]; S.t1 = full[1]; S.follow = true;
  draw();
}

var drag = null;
cv.addEventListener("pointerdown", function (e) {
  drag = { x: e.clientX, t0: S.t0, t1: S.t1, moved: false };
  cv.setPointerCapture(e.pointerId);
});
cv.addEventListener("pointermove", function (e) {
  var p = localPoint(e);
  if (drag) {
    var dx = e.clientX - drag.x;
    if (Math.abs(dx) > 3) { drag.moved = true; cv.classList.add("dragging"); }
    if (drag.moved) {
      var dt = dx / plotWidth() * (drag.t1 - drag.t0);
      S.t0 = drag.t0 - dt; S.t1 = drag.t1 - dt; S.follow = false;
      tip.style.display = "none";
      requestDraw();
    }
    return;
  }
  var hit = hitTest(p.x, p.y);
  if (!hit) { tip.style.display = "none"; return; }
  tip.textContent = describe(hit);
  tip.style.display = "block";
  tip.style.left = Math.min(p.x + 12, cv.clientWidth - 300) + "px";
  tip.style.top = (p.y + 14) + "px";
});
cv.addEventListener("pointerleave", function () { tip.style.display = "none"; });
cv.addEventListener("pointerup", function (e) {
  var d = drag;
  drag = null;
  cv.classList.remove("dragging");
  if (!d || d.moved) return;
  var p = localPoint(e), hit = hitTest(p.x, p.y);
  if (!hit) return;
  if (hit.message !== undefined) select(hit.message, "timeline");
  else showInfo(describe(hit));
});
cv.addEventListener("wheel", function (e) {
  var p = localPoint(e);
  if (p.x < GUTTER) return;
  e.preventDefault();
  if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
    var dt = (e.deltaX || e.deltaY) / plotWidth() * (S.t1 - S.t0);
    S.t0 += dt; S.t1 += dt; S.follow = false; requestDraw();
    return;
  }
  zoomAt(tOf(p.x), Math.exp(e.deltaY * 0.0015));
}, { passive: false });
cv.addEventListener("dblclick", resetView);
byId("zoom-in").addEventListener("click", function () { zoomAt((S.t0 + S.t1) / 2, 0.5); });
byId("zoom-out").addEventListener("click", function () { zoomAt((S.t0 + S.t1) / 2, 2); });
byId("zoom-reset").addEventListener("click", resetView);
window.addEventListener("resize", function () { sizeCanvas(); draw(); renderCost(); });
`;
