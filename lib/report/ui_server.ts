/**
 * `maos ui`: the report pages of every orchestration in a `.maos/`, served
 * live on 127.0.0.1 with `node:http` (so it runs under Bun too). Read-only.
 *
 * Who may ask: only a request that carries the random token of the printed
 * URL, and whose `Host` (and `Origin`, when sent) is this server itself — so
 * neither another local user who guesses the port nor a web page in the
 * browser (DNS rebinding, cross-site requests) can read the agents' work.
 *
 * @module
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { MaosError } from "../../store/errors.ts";
import type { MaosPaths } from "../../store/paths.ts";
import { listOrchestrations } from "../queries/queries.ts";
import { escapeHtml, pagePolicy, reportHtml } from "./page_html.ts";
import { type ReportData, ReportSource } from "./report_data.ts";
import { PAGE_STYLE } from "./page_style.ts";

export interface UiServerOptions {
  paths: MaosPaths;
  /** 0 picks a free port. */
  port: number;
  /** How often the page asks for news, in ms (default 500). */
  pollMs?: number;
  /** Fixed token (tests); default: 32 random hex characters. */
  token?: string;
}

export interface UiServer {
  /** The URL to open: the index page, with the token. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const ID_PATH = /^\/o\/([0-9a-f]{12})$/;
const DATA_PATH = /^\/api\/o\/([0-9a-f]{12})\/data$/;

/** Start serving; resolves once listening (a port in use is a clear error). */
export async function startUiServer(
  options: UiServerOptions,
): Promise<UiServer> {
  const token = options.token ?? randomBytes(16).toString("hex");
  const sources = new Map<string, ReportSource>();
  const pollMs = options.pollMs ?? 500;
  let port = options.port;
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      const message = err instanceof Error ? err.message : String(err);
      const status = err instanceof MaosError && err.code === 2 ? 404 : 500;
      const hint = err instanceof MaosError ? err.hint : undefined;
      // A page (a damaged orchestration's, say) says it as a page; the API
      // as JSON, which the page's script reads.
      if (!(req.url ?? "").startsWith("/api/")) {
        return send(res, status, {
          type: "text/html",
          body: errorHtml(message, hint),
        });
      }
      send(res, status, {
        type: "application/json",
        body: JSON.stringify({ error: message, ...(hint ? { hint } : {}) }),
      });
    });
  });

  async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const refusal = refuse(req, port, token);
    if (refusal) {
      return send(res, refusal.status, { body: refusal.reason + "\n" });
    }
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
    const q = `?token=${token}`;
    if (url.pathname === "/") {
      return send(res, 200, {
        type: "text/html",
        body: indexHtml(options.paths, q),
      });
    }
    const page = ID_PATH.exec(url.pathname);
    if (page) {
      const data = await dataOf(page[1]);
      return send(res, 200, {
        type: "text/html",
        body: reportHtml(data, {
          dataUrl: `/api/o/${page[1]}/data${q}`,
          intervalMs: pollMs,
          indexUrl: `/${q}`,
        }),
      });
    }
    const api = DATA_PATH.exec(url.pathname);
    if (api) {
      const since = Number(url.searchParams.get("since") ?? "0") || 0;
      const status = url.searchParams.get("status");
      const data = await dataOf(api[1]);
      const changed = data.lastSeq !== since || data.header.status !== status;
      return send(res, 200, {
        type: "application/json",
        body: JSON.stringify(
          changed
            ? { changed, data: delta(data, since) }
            : { changed, lastSeq: data.lastSeq },
        ),
      });
    }
    if (url.pathname === "/api/orchestrations") {
      return send(res, 200, {
        type: "application/json",
        body: JSON.stringify(listOrchestrations(options.paths)),
      });
    }
    send(res, 404, { body: "not found\n" });
  }

  async function dataOf(id: string): Promise<ReportData> {
    if (!options.paths.listOrchestrationIds().includes(id)) {
      throw new MaosError(`no orchestration ${id}`, 2);
    }
    let source = sources.get(id);
    if (!source) sources.set(id, source = new ReportSource(options.paths, id));
    source.refresh();
    return await source.data();
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      reject(
        err.code === "EADDRINUSE"
          ? new MaosError(
            `port ${options.port} on 127.0.0.1 is in use`,
            1,
            "choose another with --port N, or let maos pick one with --port 0",
          )
          : err,
      );
    });
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Why a request is refused (403, 405), or null when it may be answered. */
export function refuse(
  req: Pick<http.IncomingMessage, "headers" | "method" | "url">,
  port: number,
  token: string,
): { status: number; reason: string } | null {
  const selves = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!selves.includes(String(req.headers.host ?? ""))) {
    return { status: 403, reason: "forbidden: foreign Host header" };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !selves.some((s) => origin === `http://${s}`)) {
    return { status: 403, reason: "forbidden: foreign Origin header" };
  }
  const given = new URL(req.url ?? "/", "http://x").searchParams.get("token") ??
    "";
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return {
      status: 403,
      reason: "forbidden: open the URL that maos ui printed (it has the token)",
    };
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    return { status: 405, reason: "read-only: only GET" };
  }
  return null;
}

/** The data with only the messages after `since` (the page has the rest). */
function delta(data: ReportData, since: number): ReportData & {
  messagesFrom: number;
} {
  if (since <= 0 || since > data.lastSeq) return { ...data, messagesFrom: 0 };
  let lo = 0;
  let hi = data.messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (data.messages[mid][0] <= since) lo = mid + 1;
    else hi = mid;
  }
  return { ...data, messages: data.messages.slice(lo), messagesFrom: since };
}

function send(
  res: http.ServerResponse,
  status: number,
  content: { type?: string; body: string },
): void {
  res.writeHead(status, {
    "content-type": `${content.type ?? "text/plain"}; charset=utf-8`,
    "content-security-policy": pagePolicy(true),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    // The token is in the URL: never send it on as a referrer.
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
  });
  res.end(content.body);
}

/** The index refreshes its rows every 2 s; text goes in as text. */
const INDEX_SCRIPT = String.raw`(function () {
  "use strict";
  var token = new URLSearchParams(location.search).get("token") || "";
  var body = document.getElementById("rows"), last = null;
  function row(o) {
    var tr = document.createElement("tr"), td = document.createElement("td"), a = document.createElement("a");
    a.href = "/o/" + o.id + "?token=" + encodeURIComponent(token);
    a.textContent = o.id.slice(0, 8);
    td.appendChild(a);
    tr.appendChild(td);
    [o.request, null, String(o.agents), String(o.messages), "$" + o.cost.toFixed(4), o.createdAt].forEach(function (v, i) {
      var c = document.createElement("td");
      if (i === 1) {
        var b = document.createElement("span");
        b.className = "badge st-" + o.status;
        b.textContent = o.status;
        c.appendChild(b);
      } else c.textContent = v;
      tr.appendChild(c);
    });
    return tr;
  }
  function poll() {
    fetch("/api/orchestrations?token=" + encodeURIComponent(token), { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (text) {
        // Rebuild only on change, so a row is not replaced under the pointer.
        if (text === last) return;
        last = text;
        var list = JSON.parse(text);
        if (!list.length) return;
        body.textContent = "";
        list.forEach(function (o) { body.appendChild(row(o)); });
      })
      .catch(function () {})
      .finally(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 2000);
})();`;

function errorHtml(message: string, hint: string | undefined): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${pagePolicy(true)}">
<title>maos ui: error</title><style>${PAGE_STYLE}</style></head>
<body><main><h1>This orchestration cannot be shown</h1>
<p>${escapeHtml(message)}</p>${
    hint ? `<p class="muted">hint: ${escapeHtml(hint)}</p>` : ""
  }</main></body></html>
`;
}

function indexHtml(paths: MaosPaths, q: string): string {
  const rows = listOrchestrations(paths).map((o) =>
    `<tr><td><a href="/o/${o.id}${q}">${o.id.slice(0, 8)}</a></td><td>${
      escapeHtml(o.request)
    }</td><td><span class="badge st-${o.status}">${o.status}</span></td><td>${o.agents}</td><td>${o.messages}</td><td>$${
      o.cost.toFixed(4)
    }</td><td>${escapeHtml(o.createdAt)}</td></tr>`
  ).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${pagePolicy(true)}">
<title>maos ui</title><style>${PAGE_STYLE}</style></head>
<body><main><h1>Orchestrations</h1>
<p class="muted">${
    paths.root.length ? escapeHtml(paths.root) : ""
  } · live, read-only · new orchestrations appear by themselves</p>
<table><thead><tr><th>ID</th><th>Request</th><th>Status</th><th>Agents</th><th>Messages</th><th>Cost</th><th>Created</th></tr></thead>
<tbody id="rows">${
    rows || '<tr><td colspan="7" class="muted">no orchestrations yet</td></tr>'
  }</tbody>
</table></main><script>${INDEX_SCRIPT}</script></body></html>
`;
}
