import { assert, assertEquals } from "../../store/_test_util.ts";
import { escapeHtml, pagePolicy, scriptJson } from "./page_html.ts";

Deno.test("data inlined in a script element cannot end it or open a comment", () => {
  const text = scriptJson({ c: "</script><!-- & \u2028" });
  assert(!/[<>&\u2028]/.test(text), text);
  assertEquals(JSON.parse(text), { c: "</script><!-- & \u2028" });
});

Deno.test("text for HTML has no markup characters left", () => {
  assertEquals(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    "&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;",
  );
});

Deno.test("the report's policy allows no request at all; the live page only its server", () => {
  assert(pagePolicy(false).includes("default-src 'none'"));
  assert(pagePolicy(false).includes("connect-src 'none'"));
  assert(pagePolicy(true).includes("connect-src 'self'"));
  assert(!pagePolicy(true).includes("unsafe-eval"));
});
