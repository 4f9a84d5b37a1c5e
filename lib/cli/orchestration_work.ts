/**
 * `maos orchestration diff ID [--agent A] [--stat]` and `discard ID --agent
 * A`: see what each agent changed, and reject one agent's work (its branch
 * and worktree go, a ref keeps it).
 *
 * @module
 */
import * as path from "node:path";
import { Command } from "@commander-js/extra-typings";
import { usageError } from "../../store/errors.ts";
import { loadOrchestration } from "../../store/journal.ts";
import { requireAgentOf, resolveOrchestrationId } from "../queries/choose.ts";
import { foldEvent } from "../queries/state_fold.ts";
import {
  type AgentChanges,
  agentChanges,
  agentPatch,
} from "../workspace/agent_changes.ts";
import { discardAgent } from "../workspace/discard.ts";
import { type NoBranch, whyNoBranch } from "../workspace/missing_branch.ts";
import { FETCH_HINT } from "../workspace/names.ts";
import { Workspace } from "../workspace/workspace.ts";
import { colors } from "../ui/mod.ts";
import { examples, shortId } from "./_util.ts";
import { contextOf, printJson, storePaths } from "./context.ts";

export function diffCommand() {
  const cmd = new Command("diff")
    .description(
      "what each agent changed since the orchestration's start commit " +
        "(its branch and what its worktree holds uncommitted; never .maos/)",
    )
    .argument("<id>", "orchestration id or prefix")
    .option("--agent <agent>", "only this agent")
    .option("--stat", "files and line counts only")
    .action(async (idArg, flags, command) => {
      const ctx = contextOf(command);
      const paths = storePaths(ctx);
      const id = resolveOrchestrationId(paths, idArg);
      const state = loadOrchestration(paths, id, foldEvent).state;
      const workspace = await Workspace.open(path.dirname(paths.root), state);
      if (!workspace) {
        throw usageError(
          `orchestration ${
            shortId(id)
          } ran in the project directory itself (isolation: shared): see its changes with git diff`,
        );
      }
      const agents = flags.agent === undefined
        ? state.agents.map((a) => a.id)
        : [flags.agent];
      if (flags.agent) requireAgentOf(state, flags.agent);
      const all: AgentChanges[] = [];
      for (const agent of agents) {
        all.push(await agentChanges(workspace, agent));
      }
      if (ctx.json) return printJson(ctx, all);
      const c = colors();
      for (const changes of all) {
        const where = changes.worktree
          ? "worktree"
          : changes.to
          ? "branch"
          : null;
        ctx.out(
          c.bold(
            `── ${changes.agent} (${changes.branch}${
              where === "worktree" && changes.uncommitted.length
                ? `, ${changes.uncommitted.length} uncommitted`
                : ""
            })`,
          ),
        );
        if (!changes.to) {
          const why = await whyNoBranch(
            workspace,
            requireAgentOf(state, changes.agent),
          );
          ctx.out(c.dim(`   ${noBranchNote(why)}`));
          continue;
        }
        if (changes.files.length === 0) {
          ctx.out(c.dim("   no changes"));
          continue;
        }
        ctx.out(
          (await agentPatch(workspace, changes, {
            stat: flags.stat,
            color: ctx.color,
          })).trimEnd(),
        );
      }
    });
  return examples(cmd, [
    "maos orchestration diff a1b2 --stat",
    "maos orchestration diff a1b2 --agent developer-001",
    "maos --json orchestration diff a1b2 | jq '.[] | {agent, files}'",
  ]);
}

/** What `diff` says of an agent with no branch or worktree here. */
function noBranchNote(why: NoBranch): string {
  switch (why.kind) {
    case "discarded":
      return `discarded: its work is kept in ${why.ref}`;
    case "forced":
      return `removed with --force: its work is kept in ${why.ref}`;
    case "not in this clone":
      return `its branch is not in this clone; ${FETCH_HINT}`;
    case "removed":
      return "no branch or worktree here (merged and removed, or it never ran)";
  }
}

export function discardCommand() {
  const cmd = new Command("discard")
    .description(
      "reject one agent's work: its branch and worktree go, and " +
        "refs/maos/<id>/<agent>.discarded keeps everything they held",
    )
    .argument("<id>", "orchestration id or prefix")
    .requiredOption("--agent <agent>", "the agent whose work to discard")
    .action(async (idArg, flags, command) => {
      const ctx = contextOf(command);
      const result = await discardAgent(storePaths(ctx), idArg, flags.agent);
      if (ctx.json) return printJson(ctx, result);
      const gone = [
        result.branchRemoved ? `branch ${result.branch}` : "",
        result.worktreeRemoved ? "its worktree" : "",
      ].filter(Boolean).join(" and ");
      ctx.out(
        `${colors().green("✓")} Discarded ${result.agent}'s work in ${
          shortId(result.id)
        }${
          gone ? `: ${gone} removed` : " (it had no branch or worktree here)"
        }`,
      );
      if (result.ref) {
        ctx.note(
          `Kept in ${result.ref}; get it back with: git branch NAME ${result.ref}`,
        );
      }
    });
  return examples(cmd, [
    "maos orchestration discard a1b2 --agent tester-001",
  ]);
}
