/**
 * The private temp folders of a shell turn (MAOS_PROMPT_FILE and
 * MAOS_INBOX_FILE: the whole prompt and the team's messages) after
 * `kill -9` of maos: nothing removes them then, so a later maos does — once
 * their maos is gone and they are a day old, as for the `maos` shim's folder
 * (a pid alive in another PID namespace sharing /tmp stays safe).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assert,
  liveAgentsOf,
  maosOk,
  MaosProcess,
  orchestrationIds,
  waitUntil,
  withProject,
  writePlan,
} from "./_engine_helpers.ts";

Deno.test("a later maos removes a killed maos's day-old turn folders (prompt and inbox), never a fresh one", async () => {
  await withProject(async (dir) => {
    const tmp = fs.mkdtempSync(path.join(dir, "tmp-"));
    const env = { TMPDIR: tmp };
    const slow = writePlan(dir, {
      agents: [{ id: "slow-001", role: "slow" }],
      tasks: [{
        id: "wait",
        agent: "slow-001",
        title: "Wait",
        run: 'echo "prompt=$MAOS_PROMPT_FILE"; sleep 60',
      }],
    });
    const maos = new MaosProcess(
      ["orchestrate", "Wait", "--plan", slow, "--isolation", "shared"],
      { cwd: dir, env },
    );
    await waitUntil(
      () => /prompt=(\S+)/.test(maos.stdout),
      () => maos.output(),
    );
    const turnDir = path.dirname(/prompt=(\S+)/.exec(maos.stdout)![1]);
    maos.kill("SIGKILL");
    await maos.exit();
    const [id] = orchestrationIds(dir);
    await waitUntil(
      () => liveAgentsOf(id).length === 0,
      "the watchdog ends the agent",
    );
    assert(fs.existsSync(turnDir), `left behind by kill -9: ${turnDir}`);

    const quick = path.join(dir, "quick.json");
    fs.writeFileSync(
      quick,
      JSON.stringify({
        agents: [{ id: "quick-001", role: "quick" }],
        tasks: [{ id: "go", agent: "quick-001", title: "Go", run: "true" }],
      }),
    );
    // Fresh: kept (its maos could be alive in another PID namespace).
    await maosOk([
      "orchestrate",
      "Quick",
      "--plan",
      quick,
      "--isolation",
      "shared",
    ], {
      cwd: dir,
      env,
    });
    assert(fs.existsSync(turnDir), "a fresh folder is kept");

    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600_000);
    // The turn's folder and its token's, left by the killed maos.
    for (const name of fs.readdirSync(tmp)) {
      fs.utimesSync(path.join(tmp, name), twoDaysAgo, twoDaysAgo);
    }
    await maosOk([
      "orchestrate",
      "Again",
      "--plan",
      quick,
      "--isolation",
      "shared",
    ], {
      cwd: dir,
      env,
    });
    assert(!fs.existsSync(turnDir), `removed: ${turnDir}`);
    const left = fs.readdirSync(tmp).filter((n) =>
      /^maos-(turn|token)-/.test(n)
    );
    assert(left.length === 0, `no turn folders left: ${left.join(", ")}`);
  });
});
