/**
 * What a listing needs from state.json, read and checked without the rest:
 * validating every agent and task of 10,000 snapshots to show one row each
 * cost more than reading them (tests/bench/ `list_10k_vs_parse`).
 */
import { z } from "zod";
import { DurableJsonFile } from "./json_file.ts";
import type { MaosPaths } from "./paths.ts";
import { FORMAT_VERSION, OrchestrationStateSchema } from "./schema.ts";

export const SnapshotSummarySchema = z.object({
  formatVersion: z.literal(FORMAT_VERSION),
  state: OrchestrationStateSchema.pick({
    id: true,
    request: true,
    status: true,
    createdAt: true,
    updatedAt: true,
    messages: true,
    cost: true,
    inputTokens: true,
    outputTokens: true,
    lastSeq: true,
  }).extend({
    // Only counted here; `status` and a resume read them whole.
    agents: z.array(z.unknown()),
  }),
  logOffset: z.number().int().min(0),
});
export type SnapshotSummary = z.infer<typeof SnapshotSummarySchema>;

/** state.json's summary, null when there is none; a damaged file throws (exit 4). */
export function readSnapshotSummary(
  paths: MaosPaths,
  id: string,
): SnapshotSummary | null {
  return new DurableJsonFile(paths.state(id), SnapshotSummarySchema)
    .readSync();
}
