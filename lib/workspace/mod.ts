/**
 * The workspace room: the agents' files. In a git repository each agent
 * works in its own worktree on its own branch; this room creates them,
 * commits their files to maos's refs as they work (so a crash, a restore or
 * a fork brings the code back with the conversation), merges finished work
 * back, and checks, prunes and removes what is left. Read workspace.ts,
 * files_save.ts, then merge_back.ts.
 *
 * @module
 */
export { Workspace } from "./workspace.ts";
export { FilesSaver } from "./files_save.ts";
export { mergeOrchestration } from "./merge_back.ts";
export { type AgentChanges, agentChanges } from "./agent_changes.ts";
