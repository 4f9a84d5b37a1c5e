/**
 * The model stand-in: a local server on 127.0.0.1 that speaks the APIs the
 * real agent CLIs call, so they run with no network and no account. The
 * tests script its turns and read back what the CLIs sent; `deno task
 * standin` (scripts/standin.ts) runs it for a person trying maos offline,
 * answering by itself (auto_model.ts). Read server.ts, then script.ts.
 *
 * @module
 */
export * from "./server.ts";
export * from "./script.ts";
export { type Bill, chargedUsd } from "./billing.ts";
export {
  conversation,
  lastUserText,
  systemText,
  toolNames,
} from "./anthropic.ts";
export { responsesInput, responsesTools } from "./openai_responses.ts";
export { geminiContents, geminiSystem, geminiTools } from "./gemini.ts";
