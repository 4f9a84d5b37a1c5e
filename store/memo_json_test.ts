import { toJsonText } from "./json_file.ts";
import { toJsonBytesMemo } from "./memo_json.ts";

const toJsonTextMemo = (v: unknown) =>
  new TextDecoder().decode(toJsonBytesMemo(v));
import { assertEquals } from "./_test_util.ts";

const task = (i: number) => ({
  id: `t${i}`,
  title: `Task "${i}"\nwith a newline`,
  dependsOn: i ? [`t${i - 1}`] : [],
  run: i % 2 ? undefined : "echo ✓",
  progress: i * 1.5,
  summary: null,
  nested: { empty: {}, list: [], deep: [{ a: [1, { b: null }] }] },
});

Deno.test("toJsonBytesMemo writes exactly what JSON.stringify(v, null, 2) writes", () => {
  const values: unknown[] = [
    {},
    [],
    { a: [], b: {}, c: [1, "two", null, true, [3, [4]]] },
    {
      formatVersion: 1,
      state: { tasks: Array.from({ length: 30 }, (_, i) => task(i)) },
      logOffset: 9,
    },
    [[{ x: 1 }], { y: [{ z: "é" }] }],
    "text",
    42,
  ];
  for (const value of values) {
    assertEquals(toJsonTextMemo(value), toJsonText(value));
  }
});

Deno.test("a remembered element is reused, and a replaced one is written anew", () => {
  const tasks = Array.from({ length: 5 }, (_, i) => task(i));
  const first = { state: { tasks } };
  assertEquals(toJsonTextMemo(first), toJsonText(first));
  // The fold's way: a new array with one new object, the rest shared.
  const second = {
    state: { tasks: tasks.map((t, i) => i === 2 ? { ...t, progress: 99 } : t) },
  };
  assertEquals(toJsonTextMemo(second), toJsonText(second));
  // The same object at another depth is re-indented, not reused wrongly.
  const moved = { deeper: { state: { tasks } } };
  assertEquals(toJsonTextMemo(moved), toJsonText(moved));
});

Deno.test("an array written again is reused whole; a copied one is written anew; another depth is re-indented", () => {
  const tasks = Array.from({ length: 4 }, (_, i) => task(i));
  const agents = [{ id: "a", messages: 0 }];
  for (let i = 0; i < 3; i++) {
    const value = { state: { agents, tasks }, logOffset: i };
    assertEquals(toJsonTextMemo(value), toJsonText(value));
  }
  const copied = {
    state: { agents: [{ id: "a", messages: 1 }], tasks: [...tasks, task(9)] },
  };
  assertEquals(toJsonTextMemo(copied), toJsonText(copied));
  const deeper = { a: { b: { tasks } } };
  assertEquals(toJsonTextMemo(deeper), toJsonText(deeper));
  assertEquals(toJsonTextMemo(tasks), toJsonText(tasks));
});
