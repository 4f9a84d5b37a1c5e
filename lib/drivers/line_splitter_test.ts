import { assertEquals } from "./_test_assert.ts";
import { LineSplitter } from "./line_splitter.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("lines split across chunks are joined, and end() delivers the unfinished last one", () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  s.push(bytes("ab"));
  s.push(bytes("c\nde"));
  s.push(bytes("f\r\n\ng"));
  assertEquals(lines, ["abc", "def", ""]);
  s.end();
  assertEquals(lines, ["abc", "def", "", "g"]);
});

Deno.test("an over-long line still buffered is cut into pieces instead of growing without bound", () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l), 4);
  // A line complete within one chunk is delivered whole; the cap bounds
  // only what waits for its newline.
  s.push(bytes("abcdefghij\nk"));
  s.push(bytes("lmnopq"));
  s.end();
  assertEquals(lines, ["abcdefghij", "klmn", "opq"]);
});
