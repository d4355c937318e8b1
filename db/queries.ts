import "server-only";
import { and, asc, desc, eq, getTableColumns, gt, gte, inArray, lt, notInArray, or, type SQL, sql } from "drizzle-orm";
import { PREVIEW_CHARS } from "@/lib/limits";
import type { Role } from "@/lib/roles";
import { CheckpointStatus, RESUMABLE_RUN_STATUSES, type RunStatus } from "@/lib/status";
import type { Db } from "./client";
import { afterCursor, type Cursor, keysetPage, type PageRequest } from "./keyset";
import { type Checkpoint, checkpoints, type WorkflowRun, workflowEvents, workflowRuns, workflowSteps } from "./schema";

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
export type CheckpointFilter = {
  status?: CheckpointStatus;
  workflow?: string;
  step?: string;
  reviewer?: string;
  runId?: string;
  source?: string;
  /** Assigned to this person or to their role. */
  assignedTo?: { userId: string; role: Role };
  q?: string;
  /** ISO date (a whole day) or instant, inclusive. */
  from?: string;
  /** ISO date (a whole day) or instant, exclusive. */
  to?: string;
};

/** A run as lists show it: everything but its state (which may be large). */
const { state: _state, ...runSummaryColumns } = getTableColumns(workflowRuns);
export type RunSummaryRow = Omit<WorkflowRun, "state">;

/** A checkpoint as lists show it: a short preview instead of the content, no edit or notes. */
const { content: _content, editedContent, notes: _notes, ...checkpointColumns } = getTableColumns(checkpoints);
const checkpointSummaryColumns = {
  ...checkpointColumns,
  preview: sql<string>`substr(${checkpoints.content}, 1, ${PREVIEW_CHARS})`,
  edited: sql<boolean>`${editedContent} is not null`.mapWith(Boolean),
};
export type CheckpointSummaryRow = Omit<Checkpoint, "content" | "editedContent" | "notes"> & {
  preview: string;
  edited: boolean;
};

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

/** `q` as an FTS5 phrase: with the trigram tokenizer it matches that substring, case-insensitively. */
function searchPhrase(q: string): string {
  return `"${q.replaceAll('"', '""')}"`;
}

function dayBound(value: string, end: boolean): number {
  // a bare date means the whole day
  const isDate = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(isDate ? `${value}T00:00:00.000Z` : value);
  return isDate && end ? ms + 24 * 60 * 60 * 1000 : ms;
}

function checkpointWhere(filter: CheckpointFilter): SQL | undefined {
  return and(
    filter.status ? eq(checkpoints.status, filter.status) : undefined,
    filter.workflow ? eq(checkpoints.workflowId, filter.workflow) : undefined,
    filter.step ? eq(checkpoints.stepName, filter.step) : undefined,
    filter.runId ? eq(checkpoints.runId, filter.runId) : undefined,
    filter.source ? eq(checkpoints.source, filter.source) : undefined,
    filter.assignedTo
      ? or(
          eq(checkpoints.assigneeUserId, filter.assignedTo.userId),
          eq(checkpoints.assigneeRole, filter.assignedTo.role),
        )
      : undefined,
    filter.reviewer
      ? or(eq(checkpoints.reviewerId, filter.reviewer), eq(checkpoints.reviewerName, filter.reviewer))
      : undefined,
    filter.from ? gte(checkpoints.createdAt, dayBound(filter.from, false)) : undefined,
    filter.to ? lt(checkpoints.createdAt, dayBound(filter.to, true)) : undefined,
    // the search index (drizzle/0002_checkpoint_search.sql): step name, content, edited content, notes
    filter.q
      ? sql`${checkpoints}.rowid IN (SELECT rowid FROM checkpoints_search WHERE checkpoints_search MATCH ${searchPhrase(filter.q)})`
      : undefined,
  );
}

type CheckpointPage = PageRequest & { order: "oldest" | "newest" | "due" };

// the queue's order: soonest due first, checkpoints without a due date after them all
const NO_DUE = 8_640_000_000_000_000;
const dueKey = sql<number>`coalesce(${checkpoints.dueAt}, ${NO_DUE})`;

function afterDueCursor(cursor: Cursor | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const due = cursor.due ?? NO_DUE;
  return or(sql`${dueKey} > ${due}`, and(sql`${dueKey} = ${due}`, afterCursor(checkpoints, cursor, false)));
}

/** The query behind a history or queue page (exported so its plan can be checked). */
export function checkpointPageQuery(db: Db, filter: CheckpointFilter, page: CheckpointPage) {
  const query = db.select(checkpointSummaryColumns).from(checkpoints);
  if (page.order === "due") {
    return query
      .where(and(checkpointWhere(filter), afterDueCursor(page.after)))
      .orderBy(dueKey, asc(checkpoints.createdAt), asc(checkpoints.id))
      .limit(page.limit + 1);
  }
  const newestFirst = page.order === "newest";
  const direction = newestFirst ? desc : asc;
  return query
    .where(and(checkpointWhere(filter), afterCursor(checkpoints, page.after, newestFirst)))
    .orderBy(direction(checkpoints.createdAt), direction(checkpoints.id))
    .limit(page.limit + 1);
}

export function listCheckpoints(db: Db, filter: CheckpointFilter, page: CheckpointPage) {
  const rows = checkpointPageQuery(db, filter, page).all();
  const result = keysetPage(rows, page.limit);
  if (page.order !== "due" || !result.next) return result;
  const last = result.items.at(-1);
  return { ...result, next: { ...result.next, due: last?.dueAt ?? NO_DUE } };
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
