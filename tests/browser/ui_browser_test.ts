/**
 * `maos ui` as a real child process, asked by raw HTTP and by real
 * Chromium: the token, Host and Origin are checked (403), it is read-only,
 * an event appended to the log shows on the open page within 2 s, a new
 * orchestration on the open index, and
 * Ctrl-C stops it cleanly.
 */
import * as path from "node:path";
import { EventLog } from "../../store/event_log.ts";
import { LOG_START, scanLog } from "../../store/log_read.ts";
import {
  assert,
  assertEquals,
  assertIncludes,
  maosOk,
  MaosProcess,
  waitUntil,
  withProject,
  writePlan,
} from "../e2e/_engine_helpers.ts";
import { artifactPath, launchChromium, watchPage } from "./_chromium.ts";

/** One request written by hand, so Host and Origin are exactly what we say. */
async function rawGet(
  port: number,
  target: string,
  headers: Record<string, string>,
  method = "GET",
): Promise<{ status: number; body: string }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const lines = [`${method} ${target} HTTP/1.1`, "Connection: close"];
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    await conn.write(new TextEncoder().encode(lines.join("\r\n") + "\r\n\r\n"));
    let text = "";
    const buf = new Uint8Array(65536);
    while (true) {
      const n = await conn.read(buf);
      if (n === null) break;
      text += new TextDecoder().decode(buf.subarray(0, n));
    }
    const status = Number(text.split(" ")[1]);
    return { status, body: text.slice(text.indexOf("\r\n\r\n") + 4) };
  } finally {
    try {
      conn.close();
    } catch { /* closed by the server */ }
  }
}

Deno.test("maos ui: 403 without the token or with a foreign Host or Origin, and a logged event shows on the open page within 2 s", async () => {
  await withProject(async (dir) => {
    const plan = writePlan(dir, {
      agents: [{ id: "solo-001", role: "solo" }],
      tasks: [{
        id: "hello",
        agent: "solo-001",
        title: "Say hello",
        run: "echo '::maos::discovery:: hello from solo'",
      }],
    });
    await maosOk(["orchestrate", "Say hello", "--plan", plan], { cwd: dir });
    const ui = new MaosProcess(["--json", "ui", "--port", "0"], { cwd: dir });
    try {
      await waitUntil(() => ui.stdout.includes("}"), () => ui.output());
      const { url, port } = JSON.parse(ui.stdout) as {
        url: string;
        port: number;
      };
      const token = new URL(url).searchParams.get("token")!;
      assert(/^[0-9a-f]{32}$/.test(token), url);
      const host = `127.0.0.1:${port}`;

      assertEquals((await rawGet(port, "/", { Host: host })).status, 403);
      assertEquals(
        (await rawGet(port, "/?token=" + "0".repeat(32), { Host: host }))
          .status,
        403,
      );
      assertEquals(
        (await rawGet(port, `/?token=${token}`, { Host: "evil.example" }))
          .status,
        403,
      );
      assertEquals(
        (await rawGet(port, `/?token=${token}`, {
          Host: host,
          Origin: "http://evil.example",
        })).status,
        403,
      );
      assertEquals(
        (await rawGet(port, `/?token=${token}`, { Host: host }, "POST"))
          .status,
        405,
      );
      const index = await rawGet(port, `/?token=${token}`, { Host: host });
      assertEquals(index.status, 200);
      assertIncludes(index.body, "Say hello");

      const browser = await launchChromium();
      try {
        const page = await browser.newPage({
          viewport: { width: 1280, height: 900 },
        });
        const watch = watchPage(
          page,
          (u) => u.startsWith(`http://${host}/`) && u.includes(token),
        );
        await page.goto(url);
        // A new orchestration shows up on the open index by itself.
        await maosOk(["orchestrate", "Say goodbye", "--plan", plan], {
          cwd: dir,
        });
        await page.waitForSelector("text=Say goodbye", { timeout: 10_000 });
        await page.click("text=Say hello >> xpath=../td[1]/a");
        await page.waitForFunction(() =>
          (globalThis as unknown as { maosReport?: { ready: boolean } })
            .maosReport?.ready
        );
        const count = () =>
          page.evaluate(() =>
            (globalThis as unknown as {
              maosReport: { messageCount(): number };
            }).maosReport.messageCount()
          );
        assertEquals(await count(), 1);

        // Append one event to the log the way the store does.
        const id = page.url().split("/o/")[1].split("?")[0];
        const events = path.join(
          dir,
          ".maos",
          "orchestrations",
          id,
          "events.jsonl",
        );
        const end = scanLog(events, LOG_START, () => {}).end;
        const log = EventLog.openForAppend(events, end, "strict");
        log.append({
          type: "message",
          from: "solo-001",
          to: null,
          kind: "info",
          content: "a late note, appended while the page is open",
        });
        log.close();
        const appendedAt = Date.now();
        let shown = false;
        while (Date.now() - appendedAt < 2_000) {
          if (await count() === 2) {
            shown = true;
            break;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
        assert(shown, "the appended message is on the page within 2 s");
        assertIncludes(
          await page.textContent("#msg-list") ?? "",
          "a late note, appended while the page is open",
        );
        await page.screenshot({ path: artifactPath("ui.png"), fullPage: true });
        assertEquals(watch.errors, []);
        assertEquals(watch.requests, []);
      } finally {
        await browser.close();
      }
    } finally {
      ui.kill("SIGINT");
      const exit = await ui.exit();
      assertEquals(exit.code, 0, ui.output());
      assertIncludes(ui.stderr, "maos ui stopped.");
    }
  });
});
