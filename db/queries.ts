import "server-only";
import { and, asc, desc, eq, getTableColumns, gt, inArray, notInArray, sql } from "drizzle-orm";
import { CheckpointStatus, RESUMABLE_RUN_STATUSES, type RunStatus } from "@/lib/status";
import type { Db } from "./client";
import { checkpointSummaryColumns } from "./history-scan";
import { afterCursor, keysetPage, type PageRequest } from "./keyset";
import { checkpoints, type WorkflowRun, workflowEvents, workflowRuns, workflowSteps } from "./schema";

// the checkpoint list (queue and history) lives in db/history-queries.ts
export {
  type CheckpointFilter,
  type CheckpointSummaryRow,
  checkpointPageQuery,
  listCheckpoints,
} from "./history-queries";

/**
 * Named read queries (route handlers, the relay, the engine's recovery). Runs
 * and checkpoints are written only by the engine (lib/engine).
 */

export type RunFilter = {
  /** Left out unless asked for by name (the inbox's runs, one per inbox checkpoint). */
  exceptWorkflows?: readonly string[];
  status?: RunStatus;
  workflow?: string;
  /** only the runs this API token started (a token with runs:write but not runs:read) */
  createdByTokenId?: string;
};
/** A run as lists show it: everything but its state (which may be large). */
const { state: _state, ...runSummaryColumns } = getTableColumns(workflowRuns);
export type RunSummaryRow = Omit<WorkflowRun, "state">;

export function listRuns(db: Db, filter: RunFilter, page: PageRequest) {
  const rows = db
    .select(runSummaryColumns)
    .from(workflowRuns)
    .where(
      and(
        filter.status ? eq(workflowRuns.status, filter.status) : undefined,
        filter.workflow
          ? eq(workflowRuns.workflowId, filter.workflow)
          : filter.exceptWorkflows?.length
            ? notInArray(workflowRuns.workflowId, [...filter.exceptWorkflows])
            : undefined,
        filter.createdByTokenId ? eq(workflowRuns.createdByTokenId, filter.createdByTokenId) : undefined,
        afterCursor(workflowRuns, page.after, true),
      ),
    )
    .orderBy(desc(workflowRuns.createdAt), desc(workflowRuns.id))
    .limit(page.limit + 1)
    .all();
  return keysetPage(rows, page.limit);
}

export function getRunStatus(db: Db, id: string): RunStatus | undefined {
  return db.select({ status: workflowRuns.status }).from(workflowRuns).where(eq(workflowRuns.id, id)).get()?.status;
}

/** Which API token started a run (null: a person), or undefined for an unknown run. */
export function getRunCreatorToken(db: Db, id: string): { createdByTokenId: string | null } | undefined {
  return db
    .select({ createdByTokenId: workflowRuns.createdByTokenId })
    .from(workflowRuns)
    .where(eq(workflowRuns.id, id))
    .get();
}

export function getRunDetail(db: Db, id: string) {
  const run = db.select().from(workflowRuns).where(eq(workflowRuns.id, id)).get();
  if (!run) return undefined;
  return {
    run,
    steps: db.select().from(workflowSteps).where(eq(workflowSteps.runId, id)).orderBy(asc(workflowSteps.id)).all(),
    checkpoints: db
      .select()
      .from(checkpoints)
      .where(eq(checkpoints.runId, id))
      .orderBy(asc(checkpoints.createdAt), asc(checkpoints.stepIndex))
      .all(),
    events: db.select().from(workflowEvents).where(eq(workflowEvents.runId, id)).orderBy(asc(workflowEvents.id)).all(),
  };
}

/** Runs an earlier process left pending or running, oldest first (the engine resumes them at start). */
export function listResumableRunIds(db: Db): string[] {
  return db
    .select({ id: workflowRuns.id })
    .from(workflowRuns)
    .where(inArray(workflowRuns.status, [...RESUMABLE_RUN_STATUSES]))
    .orderBy(workflowRuns.createdAt)
    .all()
    .map((row) => row.id);
}

export function getCheckpointStatus(db: Db, id: string): CheckpointStatus | undefined {
  return db.select({ status: checkpoints.status }).from(checkpoints).where(eq(checkpoints.id, id)).get()?.status;
}

export function getCheckpoint(db: Db, id: string) {
  return db.select().from(checkpoints).where(eq(checkpoints.id, id)).get();
}

function listEventsAfter(db: Db, afterId: number, limit: number) {
  return db
    .select()
    .from(workflowEvents)
    .where(gt(workflowEvents.id, afterId))
    .orderBy(asc(workflowEvents.id))
    .limit(limit)
    .all();
}

/** Audit events after `afterId` with the current rows of the runs and checkpoints they changed (live updates). */
export function listEventsWithSummaries(db: Db, afterId: number, limit: number) {
  const events = listEventsAfter(db, afterId, limit);
  const runIds = [...new Set(events.map((e) => e.runId))];
  const checkpointIds = [...new Set(events.flatMap((e) => (e.checkpointId ? [e.checkpointId] : [])))];
  const runs = runIds.length
    ? db.select(runSummaryColumns).from(workflowRuns).where(inArray(workflowRuns.id, runIds)).all()
    : [];
  const checkpointRows = checkpointIds.length
    ? db.select(checkpointSummaryColumns).from(checkpoints).where(inArray(checkpoints.id, checkpointIds)).all()
    : [];
  return {
    events,
    runs: new Map(runs.map((r) => [r.id, r])),
    checkpoints: new Map(checkpointRows.map((c) => [c.id, c])),
  };
}

/** How many checkpoints wait for a decision (the nav's count; the status index answers it). */
export function countPendingCheckpoints(db: Db): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(checkpoints)
      .where(eq(checkpoints.status, CheckpointStatus.pending))
      .get()?.n ?? 0
  );
}

/** The newest audit event id (0 for an empty log): where the relay starts. */
export function latestEventId(db: Db): number {
  return (
    db.select({ id: workflowEvents.id }).from(workflowEvents).orderBy(desc(workflowEvents.id)).limit(1).get()?.id ?? 0
  );
}

export function databaseIsHealthy(db: Db): boolean {
  try {
    return db.get<{ ok: number }>(sql`select 1 as ok`)?.ok === 1;
  } catch {
    return false;
  }
}
