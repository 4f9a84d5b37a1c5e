/** The model stand-in for tests: server, script builders, request readers. */
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
