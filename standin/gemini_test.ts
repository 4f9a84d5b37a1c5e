/**
 * The stand-in's Gemini API spoken to with fetch: a turn's SSE chunks (text,
 * then function calls, usage last), side calls answered without the script
 * (a JSON schema's answer fits it), errors in the API's shape.
 */
import {
  fail,
  geminiContents,
  geminiShell,
  ModelStandin,
  say,
  withStandin,
} from "./mod.ts";
import { assert, assertEquals } from "../store/_test_util.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const STREAM = "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse";
const SIDE = "/v1beta/models/gemini-3.5-flash-lite:generateContent";

async function post(model: ModelStandin, path: string, body: Json) {
  return await fetch(model.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", "x-goog-api-key": "k" },
    body: JSON.stringify(body),
  });
}

/** The `data:` lines of an SSE answer, parsed (Gemini's have no `event:` line). */
function chunks(text: string): Json[] {
  assert(!text.includes("event:"), text);
  return text.split("\n\n").filter((c) => c.startsWith("data: ")).map((c) =>
    JSON.parse(c.slice(6))
  );
}

const body = {
  contents: [{ role: "user", parts: [{ text: "hi" }] }],
  tools: [{ functionDeclarations: [{ name: "run_shell_command" }] }],
};

Deno.test("stand-in gemini: a turn streams text chunks then the function call; usage and finishReason in the last chunk", async () => {
  await withStandin([
    { ...geminiShell("ls"), text: "Looking", usage: { input: 40, output: 4 } },
  ], async (model) => {
    const res = await post(model, STREAM, body);
    assertEquals(res.headers.get("content-type"), "text/event-stream");
    const all = chunks(await res.text());
    const parts = all.flatMap((c) => c.candidates[0].content.parts);
    assertEquals(parts.map((p: Json) => p.text ?? p.functionCall.name), [
      "Look",
      "ing",
      "run_shell_command",
    ]);
    assertEquals(parts[2].functionCall.args, {
      command: "ls",
      description: "run a command",
    });
    const last = all.at(-1)!;
    assertEquals(last.candidates[0].finishReason, "STOP");
    assertEquals(last.usageMetadata, {
      promptTokenCount: 40,
      candidatesTokenCount: 4,
      totalTokenCount: 44,
    });
    assertEquals(model.turns().length, 1);
    assertEquals(model.requests[0].api, "gemini");
  });
});

Deno.test("stand-in gemini: side calls are not the script's; a JSON schema gets an object that fits it", async () => {
  await withStandin([say("the turn")], async (model) => {
    const router = await post(model, SIDE, {
      ...body,
      generationConfig: {
        responseJsonSchema: {
          type: "object",
          properties: {
            reasoning: { type: "string" },
            complexity_score: { type: "integer", minimum: 1, maximum: 100 },
            model_choice: { type: "string", enum: ["flash", "pro"] },
          },
        },
      },
    });
    const answer = (await router.json()).candidates[0].content.parts[0].text;
    assertEquals(JSON.parse(answer), {
      reasoning: "stand-in",
      complexity_score: 1,
      model_choice: "flash",
    });
    const summary = await (await post(model, SIDE, body)).json();
    assertEquals(
      summary.candidates[0].content.parts[0].text,
      "Stand-in summary.",
    );
    assertEquals(model.pending, 1);
    assertEquals(model.turns().length, 0);
  });
});

Deno.test("stand-in gemini: errors come in the API's shape", async () => {
  await withStandin([fail(401), fail(500)], async (model) => {
    const refused = await post(model, STREAM, body);
    assertEquals(refused.status, 401);
    assertEquals((await refused.json()).error.status, "UNAUTHENTICATED");
    const broken = await post(model, STREAM, body);
    assertEquals(broken.status, 500);
    assertEquals((await broken.json()).error, {
      code: 500,
      message: "Internal error encountered.",
      status: "INTERNAL",
    });
  });
});

Deno.test("stand-in gemini: geminiContents reads calls and responses of a recorded conversation", () => {
  assertEquals(
    geminiContents({
      contents: [
        { role: "user", parts: [{ text: "do it" }] },
        { role: "model", parts: [{ functionCall: { name: "ls", args: {} } }] },
        {
          role: "user",
          parts: [{
            functionResponse: { name: "ls", response: { output: "a.txt" } },
          }],
        },
      ],
    }),
    [
      { role: "user", text: "do it" },
      { role: "function_call", text: "ls {}" },
      { role: "function_response", text: 'ls {"output":"a.txt"}' },
    ],
  );
});
