import "server-only";
import { asc, count, eq, gt, inArray, max } from "drizzle-orm";
import { CheckpointStatus, RUN_STATUSES, RunStatus } from "@/lib/status";
import type { Db } from "./client";
import { checkpoints, workflowEvents, workflowRuns } from "./schema";

/**
 * The reads behind GET /api/metrics, made at scrape time, each bounded by an
 * index: pending checkpoints are a range of checkpoints_status_created_idx,
 * the relay's position two lookups by primary key, and the runs see below.
 */

/** The status nearly every old run ends in: counted as the rest of the total, never row by row. */
const BULK_RUN_STATUS = RunStatus.completed;
const OTHER_RUN_STATUSES = RUN_STATUSES.filter((s) => s !== BULK_RUN_STATUS);

/**
 * Runs per status, every status present. A GROUP BY over runs_status_created_idx
 * steps through every index entry (100–300 ms at 1 M runs); instead the other
 * statuses are ranges of that index (few rows: live runs, failures,
 * cancellations) and the bulk status is the total, which SQLite counts from the
 * b-tree's pages without reading entries (under 1 ms at 1 M runs).
 */
export function countRunsByStatus(db: Db): Record<RunStatus, number> {
  // one read transaction: the total and the parts are of the same moment
  const { total, rows } = db.transaction((tx) => ({
    total: tx.select({ n: count() }).from(workflowRuns).get()?.n ?? 0,
    rows: tx
      .select({ status: workflowRuns.status, runs: count() })
      .from(workflowRuns)
      .where(inArray(workflowRuns.status, OTHER_RUN_STATUSES))
      .groupBy(workflowRuns.status)
      .all(),
  }));
  const counts = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
  for (const row of rows) counts[row.status] = row.runs;
  counts[BULK_RUN_STATUS] = total - rows.reduce((sum, row) => sum + row.runs, 0);
  return counts;
}

export function countPendingCheckpoints(db: Db): number {
  return (
    db.select({ n: count() }).from(checkpoints).where(eq(checkpoints.status, CheckpointStatus.pending)).get()?.n ?? 0
  );
}

/** The newest committed event, and when the first one after `afterId` (the oldest not yet relayed) was committed. */
export function eventsAfter(db: Db, afterId: number): { newestId: number; oldestCreatedAt: number | null } {
  const newestId =
    db
      .select({ id: max(workflowEvents.id) })
      .from(workflowEvents)
      .get()?.id ?? 0;
  const oldest = db
    .select({ createdAt: workflowEvents.createdAt })
    .from(workflowEvents)
    .where(gt(workflowEvents.id, afterId))
    .orderBy(asc(workflowEvents.id))
    .limit(1)
    .get();
  return { newestId, oldestCreatedAt: oldest?.createdAt ?? null };
}
