/**
 * The model stand-in on its own, spoken to with fetch: the wire shapes of
 * both APIs, failures, stalls, cuts, and what it records.
 */
import {
  bash,
  codexCode,
  cut,
  fail,
  lastUserText,
  ModelStandin,
  responsesInput,
  say,
  stall,
  systemText,
  toolNames,
  withStandin,
} from "./mod.ts";
import { assert, assertEquals } from "../store/_test_util.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const MESSAGES = "/v1/messages?beta=true";

function anthropicBody(text: string, stream = true): Json {
  return {
    model: "claude-test",
    stream,
    system: [{ type: "text", text: "You are a test." }],
    tools: [{ name: "Bash", input_schema: {} }],
    messages: [{ role: "user", content: [{ type: "text", text }] }],
  };
}

async function post(model: ModelStandin, path: string, body: Json) {
  return await fetch(model.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "k" },
    body: JSON.stringify(body),
  });
}

/** The `data:` of each server-sent event, parsed. */
function sseData(text: string): Json[] {
  return text.split("\n\n").filter((c) => c.includes("data: ")).map((c) =>
    JSON.parse(c.slice(c.indexOf("data: ") + 6))
  );
}

Deno.test("stand-in: a text turn streams the Anthropic events with the scripted usage", async () => {
  await withStandin([
    say("hello ::maos::discovery:: x", { input: 120, output: 30 }),
  ], async (model) => {
    const res = await post(model, MESSAGES, anthropicBody("hi"));
    assertEquals(res.headers.get("content-type"), "text/event-stream");
    const events = sseData(await res.text());
    assertEquals(events.map((e) => e.type), [
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    assertEquals(events[0].message.usage.input_tokens, 120);
    assertEquals(events[5].usage.output_tokens, 30);
    assertEquals(events[5].delta.stop_reason, "end_turn");
    assertEquals(
      events.filter((e) => e.delta?.type === "text_delta").map((e) =>
        e.delta.text
      ).join(""),
      "hello ::maos::discovery:: x",
    );
  });
});

Deno.test("stand-in: a tool call streams tool_use with its input as input_json_delta", async () => {
  await withStandin([bash("echo hi")], async (model) => {
    const events = sseData(
      await (await post(model, MESSAGES, anthropicBody("go"))).text(),
    );
    const start = events.find((e) => e.type === "content_block_start");
    assertEquals(start?.content_block.type, "tool_use");
    assertEquals(start?.content_block.name, "Bash");
    const json = events.find((e) => e.delta?.type === "input_json_delta");
    assertEquals(JSON.parse(json?.delta.partial_json).command, "echo hi");
    assertEquals(
      events.find((e) => e.type === "message_delta")?.delta.stop_reason,
      "tool_use",
    );
  });
});

Deno.test("stand-in: records every request; side calls do not use up the script", async () => {
  await withStandin([say("first"), say("second")], async (model) => {
    await (await fetch(model.url, { method: "HEAD" })).body?.cancel();
    // A tool-less call (a title, say) and count_tokens are side calls.
    await (await post(model, MESSAGES, {
      model: "m",
      stream: false,
      messages: [],
    })).text();
    const count = await post(model, "/v1/messages/count_tokens?beta=true", {
      model: "m",
      tools: [{ name: "Bash" }],
      messages: [],
    });
    assertEquals((await count.json()).input_tokens, 100);
    // An unstreamed request with tools (the retry of a cut stream) is a turn.
    const unstreamed = await post(
      model,
      MESSAGES,
      anthropicBody("again", false),
    );
    assertEquals((await unstreamed.json()).content[0].text, "first");
    await (await post(model, MESSAGES, anthropicBody("once more"))).text();
    assertEquals(model.requests.map((r) => [r.method, r.turn]), [
      ["HEAD", false],
      ["POST", false],
      ["POST", false],
      ["POST", true],
      ["POST", true],
    ]);
    const last = model.turns()[1];
    assertEquals(lastUserText(last.body), "once more");
    assertEquals(systemText(last.body), "You are a test.");
    assertEquals(toolNames(last.body), ["Bash"]);
    assertEquals(last.headers["x-api-key"], "k");
    assertEquals(model.pending, 0);
    // An empty script answers "done" and counts it.
    const extra = sseData(
      await (await post(model, MESSAGES, anthropicBody("?"))).text(),
    );
    assert(extra.some((e) => e.delta?.text === "do"));
    assertEquals(model.unscripted, 1);
  });
});

Deno.test("stand-in: failures are API errors; an outage answers every request", async () => {
  await withStandin([fail(529), fail(401), fail(429)], async (model) => {
    const overloaded = await post(model, MESSAGES, anthropicBody("a"));
    assertEquals(overloaded.status, 529);
    assertEquals((await overloaded.json()).error.type, "overloaded_error");
    const denied = await post(model, MESSAGES, anthropicBody("b"));
    assertEquals(denied.status, 401);
    assertEquals((await denied.json()).error.type, "authentication_error");
    const limited = await post(model, MESSAGES, anthropicBody("c"));
    assertEquals(limited.status, 429);
    await limited.body?.cancel();
    model.outage = fail(529);
    model.script(say("after"));
    const again = await post(model, MESSAGES, anthropicBody("d"));
    assertEquals(again.status, 529);
    await again.body?.cancel();
    model.outage = undefined;
    const healthy = await post(model, MESSAGES, anthropicBody("e"));
    assertEquals(healthy.status, 200);
    await healthy.body?.cancel();
  });
});

Deno.test("stand-in: a cut stream ends without message_stop; close() ends a stall at once", async () => {
  await withStandin([cut("partial text")], async (model) => {
    const res = await post(model, MESSAGES, anthropicBody("a"));
    let text = "";
    try {
      for await (
        const chunk of res.body!.pipeThrough(new TextDecoderStream())
      ) {
        text += chunk;
      }
    } catch { /* the connection was dropped: that is the point */ }
    assert(text.includes("message_start"), text);
    assert(!text.includes("message_stop"), text);
  });
  const model = await ModelStandin.start([stall(600_000)]);
  const pending = post(model, MESSAGES, anthropicBody("a")).then(
    (r) => r.text(),
    (e) => `error: ${e}`,
  );
  await model.waitForTurns(1);
  await model.close();
  await pending; // no 10-minute wait: the stall ended with the server
});

Deno.test("stand-in: the Responses API streams text and function calls with usage", async () => {
  await withStandin([
    {
      text: "hi",
      tools: [{ name: "exec_command", input: { cmd: "ls" } }],
      usage: { input: 7, output: 3 },
    },
  ], async (model) => {
    const res = await post(model, "/v1/responses", {
      model: "gpt-test",
      stream: true,
      input: [{
        type: "message",
        role: "user",
        content: [{ type: "input_text", text: "go" }],
      }],
    });
    const events = sseData(await res.text());
    assertEquals(events.map((e) => e.type), [
      "response.created",
      "response.output_item.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_item.done",
      "response.output_item.added",
      "response.output_item.done",
      "response.completed",
    ]);
    const done = events.at(-1)!.response;
    assertEquals(done.usage.input_tokens, 7);
    assertEquals(done.usage.output_tokens, 3);
    assertEquals(done.output[1].type, "function_call");
    assertEquals(JSON.parse(done.output[1].arguments), { cmd: "ls" });
    assertEquals(model.turns()[0].api, "openai");
    assertEquals(responsesInput(model.turns()[0].body), [{
      role: "user",
      text: "go",
    }]);
  });
});

Deno.test("stand-in: a responder picks turns by what was asked; undefined takes the script", async () => {
  const model = await ModelStandin.start(
    [say("from the script")],
    (request) =>
      lastUserText(request.body).includes("agent B") ? say("for B") : undefined,
  );
  try {
    const b = sseData(
      await (await post(model, MESSAGES, anthropicBody("I am agent B"))).text(),
    );
    const a = sseData(
      await (await post(model, MESSAGES, anthropicBody("I am agent A"))).text(),
    );
    const text = (events: Json[]) =>
      events.filter((e) => e.delta?.type === "text_delta").map((e) =>
        e.delta.text
      ).join("");
    assertEquals([text(b), text(a)], ["for B", "from the script"]);
  } finally {
    await model.close();
  }
});

Deno.test("stand-in: codexCode is a custom_tool_call of exec with the code as input", async () => {
  await withStandin([codexCode("await tools.x()")], async (model) => {
    const res = await post(model, "/v1/responses", {
      model: "m",
      stream: true,
      input: [],
    });
    const done = sseData(await res.text()).at(-1)!.response;
    assertEquals(done.output, [{
      type: "custom_tool_call",
      id: "ctc_standin_1_0",
      call_id: "call_standin_1_0",
      name: "exec",
      input: "await tools.x()",
      status: "completed",
    }]);
  });
});
