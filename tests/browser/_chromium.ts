/**
 * Real Chromium for the browser tests (not part of the program): Debian's
 * `/usr/bin/chromium` driven by playwright-core, never a downloaded browser.
 * A missing Chromium fails the test with the line that installs it.
 */
import * as fs from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = Deno.env.get("MAOS_CHROMIUM") ?? "/usr/bin/chromium";

/** Flags that keep Chromium off the network of a machine without one. */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launch Chromium (playwright gives it a fresh, empty user-data-dir). */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: the browser tests need it. ` +
        "Install it with: apt-get update && apt-get install -y chromium " +
        "(.ci/run does), or set MAOS_CHROMIUM to its path",
    );
  }
  return await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** What a page did that a report must not: console errors, uncaught errors, requests. */
export interface PageWatch {
  errors: string[];
  requests: string[];
}

/** Record console errors, page errors and every request but `allowed`. */
export function watchPage(
  page: Page,
  allowed: (url: string) => boolean,
): PageWatch {
  const watch: PageWatch = { errors: [], requests: [] };
  page.on("console", (m) => {
    if (m.type() === "error") watch.errors.push(m.text());
  });
  page.on("pageerror", (e) => watch.errors.push(String(e)));
  page.on("request", (r) => {
    if (!allowed(r.url())) watch.requests.push(r.url());
  });
  return watch;
}

/** Where tests leave screenshots: $MAOS_TEST_ARTIFACTS, else test-artifacts/ here. */
export function artifactPath(name: string): string {
  const dir = Deno.env.get("MAOS_TEST_ARTIFACTS") ??
    new URL("../../test-artifacts/", import.meta.url).pathname;
  fs.mkdirSync(dir, { recursive: true });
  return `${dir.replace(/\/$/, "")}/${name}`;
}
