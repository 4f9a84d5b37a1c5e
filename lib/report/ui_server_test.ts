import { assertEquals } from "../../store/_test_util.ts";
import { refuse } from "./ui_server.ts";

const token = "ab".repeat(16);
const ok = { host: "127.0.0.1:4000" };
const at = (url: string, headers: Record<string, string>, method = "GET") =>
  refuse({ url, headers, method }, 4000, token)?.status ?? 200;

Deno.test("only this server's Host and Origin, with the token, may read; nothing may write", () => {
  assertEquals(at(`/?token=${token}`, ok), 200);
  assertEquals(at(`/o/x?token=${token}`, { host: "localhost:4000" }), 200);
  assertEquals(at("/", ok), 403);
  assertEquals(at(`/?token=${token}x`, ok), 403);
  assertEquals(at(`/?token=${token}`, { host: "127.0.0.1:4001" }), 403);
  assertEquals(at(`/?token=${token}`, { host: "attacker.test:4000" }), 403);
  assertEquals(
    at(`/?token=${token}`, { ...ok, origin: "http://127.0.0.1:4000" }),
    200,
  );
  assertEquals(
    at(`/?token=${token}`, { ...ok, origin: "http://attacker.test" }),
    403,
  );
  assertEquals(at(`/?token=${token}`, ok, "POST"), 405);
});
