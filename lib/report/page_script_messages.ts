/**
 * The report page's script, last part: the message list (virtualised: only
 * the rows in view exist, so 100,000 messages scroll and filter quickly),
 * its filters and search, the link between a row and its mark, the live
 * updates of `maos ui`, and the start of the page.
 * (No backticks in here: the string is a String.raw template.)
 *
 * @module
 */
export const SCRIPT_MESSAGES = String.raw`
var list = byId("msg-list"), spacer = el("div"), detail = byId("msg-detail");
var fAgent = byId("f-agent"), fKind = byId("f-kind"), fSearch = byId("f-search"), fCount = byId("f-count");
var ROW = 26, rows = [];
list.appendChild(spacer);

function fillAgentFilter() {
  var keep = fAgent.value;
  fAgent.textContent = "";
  var all = el("option", null, "every agent");
  all.value = "";
  fAgent.appendChild(all);
  D.lanes.forEach(function (lane) {
    var o = el("option", null, lane.id);
    o.value = lane.id;
    fAgent.appendChild(o);
  });
  fAgent.value = keep && laneIndex[keep] !== undefined ? keep : "";
}

function lowered(k) {
  if (!S.lower) S.lower = [];
  var m = D.messages[k];
  if (S.lower[k] === undefined) S.lower[k] = (m[2] + " " + (m[3] || "all") + " " + m[5]).toLowerCase();
  return S.lower[k];
}

/** Keep the messages that match every filter; dims the others on the timeline. */
function applyFilter() {
  var started = performance.now();
  var agent = fAgent.value, kind = fKind.value, q = fSearch.value.trim().toLowerCase();
  var out = [], shown = new Uint8Array(D.messages.length);
  for (var k = 0; k < D.messages.length; k++) {
    var m = D.messages[k];
    if (agent && m[2] !== agent && m[3] !== agent) continue;
    if (kind && m[4] !== kind) continue;
    if (q && lowered(k).indexOf(q) < 0) continue;
    out.push(k);
    shown[k] = 1;
  }
  window.maosReport.lastMatchMs = performance.now() - started;
  S.filtered = out;
  S.shown = shown;
  S.filterActive = Boolean(agent || kind || q);
  fCount.textContent = fmtInt(out.length) + " of " + fmtInt(D.messages.length) + " messages";
  spacer.style.height = out.length * ROW + "px";
  renderRows();
  draw();
  window.maosReport.lastFilterMs = performance.now() - started;
}

function renderRows() {
  var top = list.scrollTop, h = list.clientHeight || 380;
  var first = Math.max(0, Math.floor(top / ROW) - 5);
  var last = Math.min(S.filtered.length, Math.ceil((top + h) / ROW) + 5);
  rows.forEach(function (r) { r.remove(); });
  rows = [];
  for (var i = first; i < last; i++) {
    var k = S.filtered[i], m = D.messages[k];
    var row = el("div", "row" + (S.sel === k ? " selected" : ""));
    row.style.top = i * ROW + "px";
    row.setAttribute("data-k", String(k));
    row.setAttribute("data-seq", String(m[0]));
    row.appendChild(el("span", "seq", "#" + m[0]));
    var kind = el("span", "kind", m[4]);
    kind.style.color = KIND_COLOR[m[4]] || "#495057";
    row.appendChild(kind);
    row.appendChild(el("span", "who", m[2] + " → " + (m[3] || "all")));
    row.appendChild(el("span", "text", m[5].slice(0, 240).split("\n")[0]));
    list.appendChild(row);
    rows.push(row);
  }
  if (!S.filtered.length) {
    var empty = el("div", "row muted", D.messages.length ? "no message matches" : "no messages");
    empty.style.top = "0px";
    list.appendChild(empty);
    rows.push(empty);
  }
}

function positionInFiltered(k) {
  var lo = 0, hi = S.filtered.length - 1;
  while (lo <= hi) {
    var mid = (lo + hi) >> 1;
    if (S.filtered[mid] === k) return mid;
    if (S.filtered[mid] < k) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

/** Show message k; from the timeline, scroll its row into view, from the list, its mark. */
function select(k, from) {
  S.sel = k;
  var m = D.messages[k];
  detail.textContent = "";
  detail.setAttribute("data-seq", String(m[0]));
  detail.appendChild(el("h3", null, "Message #" + m[0] + " · " + m[4]));
  detail.appendChild(el("div", null, m[2] + " → " + (m[3] || "every agent")));
  detail.appendChild(el("div", "muted", fmtDate(m[1])));
  detail.appendChild(el("pre", null, m[5]));
  if (from === "list" || from === "keys") {
    if (m[1] < S.t0 || m[1] > S.t1) {
      var span = S.t1 - S.t0;
      S.t0 = m[1] - span / 2; S.t1 = m[1] + span / 2; S.follow = false;
    }
  }
  if (from !== "list") {
    var i = positionInFiltered(k);
    if (i >= 0) {
      var y = i * ROW;
      if (y < list.scrollTop || y > list.scrollTop + list.clientHeight - ROW) list.scrollTop = Math.max(0, y - list.clientHeight / 2);
    }
  }
  renderRows();
  draw();
}

function showInfo(text) {
  detail.textContent = "";
  detail.removeAttribute("data-seq");
  detail.appendChild(el("pre", null, text));
}

list.addEventListener("scroll", renderRows);
list.setAttribute("tabindex", "0");
list.addEventListener("keydown", function (e) {
  if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
  if (!S.filtered.length) return;
  e.preventDefault();
  var i = S.sel == null ? -1 : positionInFiltered(S.sel);
  i = e.key === "ArrowDown" ? Math.min(S.filtered.length - 1, i + 1) : Math.max(0, i - 1);
  select(S.filtered[i], "keys");
});
list.addEventListener("click", function (e) {
  var row = e.target.closest ? e.target.closest(".row[data-k]") : null;
  if (row) select(Number(row.getAttribute("data-k")), "list");
});
var searchTimer = null;
fSearch.addEventListener("input", function () {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(applyFilter, 120);
});
fAgent.addEventListener("change", applyFilter);
fKind.addEventListener("change", applyFilter);

function renderAll() {
  indexLanes();
  list.style.height = Math.min(380, Math.max(80, D.messages.length * ROW + 4)) + "px";
  renderHeader();
  fillAgentFilter();
  sizeCanvas();
  if (S.follow) { var full = fullRange(); S.t0 = full[0]; S.t1 = full[1]; }
  renderCost();
  renderFiles();
  applyFilter();
}

var renderMs = 0;
/** maos ui: ask for what was logged since the page's last event; messages come as a delta. */
function poll() {
  fetch(LIVE.dataUrl + "&since=" + D.lastSeq + "&status=" + D.header.status, { cache: "no-store" })
    .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
    .then(function (res) {
      byId("live-state").textContent = "";
      if (!res.changed) return;
      var next = res.data;
      if (next.messagesFrom > 0) {
        for (var i = 0; i < next.messages.length; i++) D.messages.push(next.messages[i]);
        next.messages = D.messages;
      } else {
        S.lower = null;
      }
      var selSeq = S.sel == null ? null : D.messages[S.sel] && D.messages[S.sel][0];
      D = next;
      S.sel = selSeq == null ? null : (indexOfSeq(selSeq) >= 0 ? indexOfSeq(selSeq) : null);
      var started = performance.now();
      renderAll();
      renderMs = performance.now() - started;
    })
    .catch(function (err) { byId("live-state").textContent = "connection lost (" + err.message + "), retrying…"; })
    // A huge run takes long to draw: ask less often, so the page stays usable.
    .finally(function () { setTimeout(poll, Math.max(LIVE.intervalMs, renderMs * 4)); });
}

// A small read-only handle for the browser tests and the benchmark: whether
// the page is ready, what it holds, and how long its last filter and draw took.
window.maosReport = {
  ready: false,
  lastFilterMs: null,
  lastSeq: function () { return D.lastSeq; },
  lanes: function () { return D.lanes.map(function (l) { return l.id; }); },
  messageCount: function () { return D.messages.length; },
  visibleCount: function () { return S.filtered.length; },
  view: function () { return [S.t0, S.t1]; },
  selected: function () { return S.sel == null ? null : D.messages[S.sel][0]; },
  /** Where message seq's mark is on screen (brought into view first), for a click. */
  markPoint: function (seq) {
    var k = indexOfSeq(seq);
    if (k < 0) return null;
    var m = D.messages[k];
    if (m[1] < S.t0 || m[1] > S.t1) { var span = S.t1 - S.t0; S.t0 = m[1] - span / 2; S.t1 = m[1] + span / 2; S.follow = false; draw(); }
    var r = cv.getBoundingClientRect();
    return { x: r.left + xOf(m[1]), y: r.top + laneY(laneIndex[m[2]]) };
  }
};
renderAll();
window.maosReport.ready = true;
// Lower-case the messages for search in the background, a slice at a time,
// so the first search does not pay for it and the page stays responsive.
(function warm(from) {
  var end = Math.min(D.messages.length, from + 5000);
  for (var k = from; k < end; k++) lowered(k);
  if (end < D.messages.length) setTimeout(function () { warm(end); }, 0);
})(0);
if (LIVE) setTimeout(poll, LIVE.intervalMs);
// A running turn grows with the clock, not only with events.
setInterval(function () {
  if (!LIVE || D.header.status !== "running") return;
  if (S.follow) { var full = fullRange(); S.t0 = full[0]; S.t1 = full[1]; }
  draw();
}, 1000);
`;
