/**
 * Permissions and approvals: what each agent may do without asking (tool
 * rules in Claude Code's syntax, a Claude mode, a Codex sandbox, layered
 * from maos.json and the plan), and the requests an agent makes when it
 * needs more, answered by a person with `maos approval`. Requests and
 * answers travel through inbox.jsonl, so they work from any terminal, while
 * paused and from another clone; the orchestrator logs them as `approval.*`
 * events. Read permissions.ts, then ask.ts (the agent's side) and decide.ts
 * (a person's answer), then approvals_fold.ts.
 *
 * @module
 */
export {
  checkConfigPermissions,
  checkPlanPermissions,
  effectivePermissions,
} from "./permissions.ts";
export { askApproval } from "./ask.ts";
export { decideApproval } from "./decide.ts";
export { listApprovals } from "./list.ts";
export { ruleProblem } from "./rules.ts";
