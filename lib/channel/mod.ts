/**
 * The channel room: the agent's side of the team channel. What `maos mcp`
 * (send_message, read_messages, report_progress) and `maos message send` do
 * for a process that speaks for an agent: check who it is (an agent of the
 * orchestration, with its turn's token), append its lines to inbox.jsonl,
 * and read back what is new to it, pending lines included. The engine's
 * message bus ingests those lines on the other side. Read agent_channel.ts.
 *
 * @module
 */
export {
  agentIdentity,
  MessageReader,
  reportAgentProgress,
  sendAgentMessage,
} from "./agent_channel.ts";
