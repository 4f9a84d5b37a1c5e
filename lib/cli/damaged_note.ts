import type { OrchestrationSummary } from "../queries/queries.ts";
import { shortId } from "./_util.ts";
import type { CliContext } from "./context.ts";

/**
 * Under `orchestration list`: one warning line per damaged orchestration,
 * saying what is wrong and what to run (the others are listed as usual).
 */
export function reportDamaged(
  ctx: CliContext,
  rows: OrchestrationSummary[],
): void {
  for (const row of rows) {
    if (row.status !== "damaged") continue;
    ctx.warn(
      `orchestration ${
        shortId(row.id)
      } is damaged: ${row.damage} (${row.hint})`,
    );
  }
}
