/**
 * A checkpoint's state brought back: rewound (paused, with what was running
 * now interrupted), or written as a new orchestration (a fork, or one that
 * was deleted since the checkpoint).
 *
 * @module
 */

import * as fs from "node:fs";
import { corruptError } from "../../store/errors.ts";
import { newId } from "../../store/ids.ts";
import { Journal } from "../../store/journal.ts";
import type { MaosPaths } from "../../store/paths.ts";
import {
  type Durability,
  type NewEvent,
  type OrchestrationState,
  OrchestrationStateSchema,
  PlanSchema,
  type WorkStatus,
} from "../../store/schema.ts";
import { foldEvent } from "../queries/state_fold.ts";

/**
 * The checkpoint's state as it is restored: paused, and whatever was
 * running then is interrupted now, so a resume runs it again — unless it
 * had ended (completed or failed): it keeps that status, so a fork of a
 * finished checkpoint does not look paused with every task done. Parsed by
 * the schema so its key order is the one a replay of the log gives.
 */
export function rewoundState(
  state: OrchestrationState,
  overrides: Partial<OrchestrationState>,
): OrchestrationState {
  const interrupted = <T extends { status: WorkStatus }>(item: T): T =>
    item.status === "running" ? { ...item, status: "interrupted" } : item;
  return OrchestrationStateSchema.parse({
    ...state,
    ...overrides,
    status: restoredStatus(state.status),
    agents: state.agents.map(interrupted),
    tasks: state.tasks.map(interrupted),
  });
}

/** The status an orchestration gets back from a checkpoint's state. */
export function restoredStatus(
  status: OrchestrationState["status"],
): "paused" | "completed" | "failed" {
  return status === "completed" || status === "failed" ? status : "paused";
}

/**
 * A new orchestration `id` whose log is `orchestration.created` (the plan
 * the checkpoint's state holds) then `checkpoint.restored`: a fork, or an
 * orchestration that was deleted since the checkpoint, brought back.
 */
export async function createFromCheckpoint(
  paths: MaosPaths,
  checkpointId: string,
  state: OrchestrationState,
  id: string,
  durability: Durability,
  fork: boolean,
): Promise<string> {
  const plan = PlanSchema.safeParse({
    agents: state.agents.map((a) => ({
      id: a.id,
      role: a.role,
      driver: a.driver,
      instructions: a.instructions,
    })),
    tasks: state.tasks.map((t) => ({
      id: t.id,
      agent: t.agent,
      title: t.title,
      description: t.description,
      dependsOn: t.dependsOn,
      ...(t.run === undefined ? {} : { run: t.run }),
    })),
  });
  if (!plan.success) {
    throw corruptError(
      `checkpoint ${checkpointId} holds no usable plan for ${state.id}`,
    );
  }
  const created: NewEvent = {
    type: "orchestration.created",
    id,
    request: state.request,
    driver: state.driver,
    maxParallel: state.maxParallel,
    plan: plan.data,
  };
  const journal = await Journal.create(
    paths,
    id,
    created,
    foldEvent,
    durability,
    "maos recover restore",
  );
  try {
    journal.append({
      type: "checkpoint.restored",
      checkpoint: checkpointId,
      // A new folder has an empty inbox: an old offset would skip its first messages.
      state: rewoundState(state, {
        id,
        createdAt: fork ? journal.state.createdAt : state.createdAt,
        inboxOffset: 0,
      }),
    });
  } finally {
    await journal.close();
  }
  return id;
}

/** An orchestration id not in use here. */
export function newFreeId(paths: MaosPaths): string {
  for (;;) {
    const id = newId();
    if (!fs.existsSync(paths.orchestration(id))) return id;
  }
}
