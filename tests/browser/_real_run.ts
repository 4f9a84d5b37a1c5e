/**
 * A real orchestration for the browser tests (not part of the program): the
 * real maos with three shell agents in a real git repository, paused by
 * SIGINT, resumed, killed with SIGKILL mid-task, and resumed to the end.
 */
import {
  assertEquals,
  maosOk,
  MaosProcess,
  readEvents,
  waitForOrchestration,
  waitUntil,
  writePlan,
} from "../e2e/_engine_helpers.ts";
import { gitInit } from "../e2e/_git_project.ts";

/** A message an agent sends that would run script if a page took it as HTML. */
export const HOSTILE =
  `found <img src=x onerror="document.title='pwned'"> and </script><b>bold</b>`;

function plan(dir: string): string {
  return writePlan(dir, {
    agents: [
      { id: "scout-001", role: "scout" },
      { id: "builder-001", role: "builder" },
      { id: "checker-001", role: "checker" },
    ],
    tasks: [
      {
        id: "look",
        agent: "scout-001",
        title: "Look around",
        run:
          `echo '::maos::discovery:: ${HOSTILE.replaceAll("'", "'\\''")}'\n` +
          "printf 'a\\nb\\nc\\n' > notes.md\nsleep 0.3",
      },
      {
        id: "build",
        agent: "builder-001",
        title: "Build slowly",
        // 20 steps of 0.2 s: the test pauses it at step 2 and kills it at
        // step 3 of the next run, far from its end even on a busy machine.
        run: "i=0\nwhile [ $i -lt 20 ]; do\n" +
          '  i=$((i+1)); echo "step $i"; echo "::maos::progress:: $((i*5))"\n' +
          "  echo line $i >> build.txt; sleep 0.2\ndone\n" +
          "echo '::maos::info to=checker-001:: built it, 16 lines'",
      },
      {
        id: "check",
        agent: "checker-001",
        title: "Check the build",
        dependsOn: ["look", "build"],
        run: "echo '::maos::request to=builder-001:: please add tests'\n" +
          "echo ok > checked.md\necho '::maos::broadcast:: all good'",
      },
    ],
  });
}

/** Progress of the build task logged after the newest resume (or start). */
function buildProgressSinceLastStart(dir: string, id: string): number {
  const events = readEvents(dir, id);
  let from = 0;
  events.forEach((e, i) => {
    if (e.type === "orchestration.resumed") from = i;
  });
  let progress = 0;
  for (const e of events.slice(from)) {
    if (e.type === "task.progress" && e.task === "build") progress = e.progress;
  }
  return progress;
}

/** Run it in `dir` (made a git repository); the orchestration's id. */
export async function pausedCrashedResumedRun(dir: string): Promise<string> {
  await gitInit(dir);
  const planFile = plan(dir);
  const first = new MaosProcess(
    ["orchestrate", "Build it, with a pause and a crash", "--plan", planFile],
    { cwd: dir },
  );
  const id = await waitForOrchestration(dir, first);
  await waitUntil(
    () => buildProgressSinceLastStart(dir, id) >= 10,
    () => `build under way\n${first.output()}`,
  );
  first.kill("SIGINT");
  assertEquals((await first.exit()).code, 130, first.output());

  const second = new MaosProcess(["orchestration", "resume", id], { cwd: dir });
  await waitUntil(
    () =>
      readEvents(dir, id).some((e) => e.type === "orchestration.resumed") &&
      buildProgressSinceLastStart(dir, id) >= 15,
    () => `build under way again\n${second.output()}`,
  );
  second.kill("SIGKILL");
  assertEquals((await second.exit()).signal, "SIGKILL");

  await maosOk(["orchestration", "resume", id], { cwd: dir });
  return id;
}
