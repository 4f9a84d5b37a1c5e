/**
 * The report page's stylesheet, inlined in every page (no file to fetch).
 *
 * @module
 */
export const PAGE_STYLE = String.raw`
:root { --fg:#1f2328; --muted:#656d76; --line:#d0d7de; --bg:#ffffff; --panel:#f6f8fa; --sel:#fff3bf; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--fg); background:var(--bg); }
main { max-width: 1400px; margin: 0 auto; padding: 16px 20px 40px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 22px 0 8px; }
.request { font-size: 15px; margin: 0 0 10px; white-space: pre-wrap; word-break: break-word; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; font-weight:600; color:#fff; vertical-align:middle; }
.st-completed { background:#2f9e44; } .st-failed { background:#e03131; } .st-running { background:#1c7ed6; }
.st-paused { background:#f08c00; } .st-interrupted { background:#7048e8; }
.figures { display:grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap:8px; margin: 8px 0; }
.figure { background:var(--panel); border:1px solid var(--line); border-radius:6px; padding:6px 10px; }
.figure b { display:block; font-size:11px; color:var(--muted); font-weight:600; text-transform:uppercase; letter-spacing:.03em; }
.figure span { font-size:15px; font-variant-numeric: tabular-nums; }
.toolbar { display:flex; gap:8px; align-items:center; flex-wrap:wrap; margin: 4px 0 6px; }
button, select, input { font: inherit; font-size: 13px; }
button { border:1px solid var(--line); background:var(--panel); border-radius:5px; padding:2px 9px; cursor:pointer; }
input[type=search] { border:1px solid var(--line); border-radius:5px; padding:2px 8px; min-width: 240px; }
select { border:1px solid var(--line); border-radius:5px; padding:2px 4px; background: #fff; }
.legend { display:flex; gap:10px; flex-wrap:wrap; font-size:12px; color:var(--muted); }
.legend i { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:4px; vertical-align:-1px; }
#timeline-wrap { position:relative; border:1px solid var(--line); border-radius:6px; overflow:hidden; background:#fff; }
#timeline { display:block; width:100%; cursor:grab; touch-action:none; }
#timeline.dragging { cursor:grabbing; }
#lanes { position:absolute; left:0; top:0; }
#tip { position:absolute; pointer-events:none; background:#212529; color:#fff; font-size:12px; padding:4px 7px; border-radius:4px; max-width:420px; white-space:pre-wrap; word-break:break-word; display:none; z-index:2; }
#cost { width:100%; height:220px; border:1px solid var(--line); border-radius:6px; background:#fff; display:block; }
.msgs { display:grid; grid-template-columns: minmax(0,3fr) minmax(0,2fr); gap:12px; }
#msg-list { position:relative; height:380px; overflow-y:auto; border:1px solid var(--line); border-radius:6px; background:#fff; }
#msg-list .row { position:absolute; left:0; right:0; height:26px; line-height:26px; padding:0 8px; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; cursor:pointer; border-bottom:1px solid #f1f3f5; font-size:13px; }
#msg-list .row:hover { background:#f1f3f5; }
#msg-list .row.selected { background:var(--sel); }
.row .seq { color:var(--muted); display:inline-block; min-width:52px; font-variant-numeric: tabular-nums; }
.row .kind { display:inline-block; min-width:90px; font-size:11px; font-weight:600; text-transform:uppercase; }
.row .who { color:#0b7285; margin-right:6px; }
#msg-detail { border:1px solid var(--line); border-radius:6px; padding:10px 12px; background:var(--panel); min-height:120px; overflow:auto; max-height:380px; }
#msg-detail pre { white-space:pre-wrap; word-break:break-word; font: 13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace; margin:8px 0 0; }
.muted { color:var(--muted); }
table { border-collapse:collapse; width:100%; font-size:13px; }
th, td { text-align:left; padding:3px 8px; border-bottom:1px solid #eaeef2; }
th { color:var(--muted); font-weight:600; font-size:12px; }
td.num { text-align:right; font-variant-numeric: tabular-nums; width: 80px; }
.add { color:#1a7f37; } .del { color:#cf222e; }
.files { display:grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap:12px; }
.files section { border:1px solid var(--line); border-radius:6px; padding:8px 10px; }
.files h3 { font-size:14px; margin:0 0 6px; }
.live { font-size:12px; color:#1c7ed6; }
nav a { margin-right: 12px; }
`;
