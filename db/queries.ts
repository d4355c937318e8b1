import "server-only";
import { and, asc, desc, eq, gt, gte, like, lt, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { CheckpointListQuery, RunListQuery } from "@/lib/api/schemas";
import { AppError } from "@/lib/errors";
import type { Db } from "./client";
import { checkpoints, workflowEvents, workflowRuns, workflowSteps } from "./schema";

/** Read queries for route handlers. Writes go through the engine (lib/engine). */

type Cursor = { createdAt: number; id: string };

export function encodeCursor(row: Cursor): string {
  return Buffer.from(JSON.stringify([row.createdAt, row.id])).toString("base64url");
}

function decodeCursor(cursor: string | undefined): Cursor | undefined {
  if (!cursor) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof createdAt === "number" && typeof id === "string") return { createdAt, id };
  } catch {
    // fall through to the error below
  }
  throw new AppError("invalid_input", "The cursor is not valid", { cursor });
}

/** Rows after the cursor in (createdAt, id) order, one extra fetched to know whether a next page exists. */
function page<T extends Cursor>(rows: T[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

function keyset(
  columns: { createdAt: SQLiteColumn; id: SQLiteColumn },
  cursor: Cursor | undefined,
  newestFirst: boolean,
): SQL | undefined {
  if (!cursor) return undefined;
  const cmp = newestFirst ? lt : gt;
  return or(
    cmp(columns.createdAt, cursor.createdAt),
    and(eq(columns.createdAt, cursor.createdAt), cmp(columns.id, cursor.id)),
  );
}

export function listRuns(db: Db, query: RunListQuery) {
  const where = and(
    query.status ? eq(workflowRuns.status, query.status) : undefined,
    query.workflow ? eq(workflowRuns.workflowId, query.workflow) : undefined,
    keyset(workflowRuns, decodeCursor(query.cursor), true),
  );
  const rows = db
    .select()
    .from(workflowRuns)
    .where(where)
    .orderBy(desc(workflowRuns.createdAt), desc(workflowRuns.id))
    .limit(query.limit + 1)
    .all();
  return page(rows, query.limit);
}

export function getRun(db: Db, id: string) {
  return db.select().from(workflowRuns).where(eq(workflowRuns.id, id)).get();
}

export function getRunDetail(db: Db, id: string) {
  const run = getRun(db, id);
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

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function dayBound(value: string, end: boolean): number {
  // a bare date means the whole day
  const isDate = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(isDate ? `${value}T00:00:00.000Z` : value);
  return isDate && end ? ms + 24 * 60 * 60 * 1000 : ms;
}

export function checkpointFilters(query: Omit<CheckpointListQuery, "limit" | "cursor" | "order">): SQL | undefined {
  const pattern = query.q ? `%${escapeLike(query.q)}%` : undefined;
  return and(
    query.status ? eq(checkpoints.status, query.status) : undefined,
    query.workflow ? eq(checkpoints.workflowId, query.workflow) : undefined,
    query.step ? eq(checkpoints.stepName, query.step) : undefined,
    query.runId ? eq(checkpoints.runId, query.runId) : undefined,
    query.reviewer
      ? or(eq(checkpoints.reviewerId, query.reviewer), eq(checkpoints.reviewerName, query.reviewer))
      : undefined,
    query.from ? gte(checkpoints.createdAt, dayBound(query.from, false)) : undefined,
    query.to ? lt(checkpoints.createdAt, dayBound(query.to, true)) : undefined,
    pattern
      ? or(
          sql`${checkpoints.content} LIKE ${pattern} ESCAPE '\\'`,
          sql`${checkpoints.editedContent} LIKE ${pattern} ESCAPE '\\'`,
          sql`${checkpoints.notes} LIKE ${pattern} ESCAPE '\\'`,
          like(checkpoints.stepName, pattern),
        )
      : undefined,
  );
}

export function listCheckpoints(db: Db, query: CheckpointListQuery) {
  const newestFirst = query.order === "newest";
  const direction = newestFirst ? desc : asc;
  const rows = db
    .select()
    .from(checkpoints)
    .where(and(checkpointFilters(query), keyset(checkpoints, decodeCursor(query.cursor), newestFirst)))
    .orderBy(direction(checkpoints.createdAt), direction(checkpoints.id))
    .limit(query.limit + 1)
    .all();
  return page(rows, query.limit);
}

export function getCheckpoint(db: Db, id: string) {
  return db.select().from(checkpoints).where(eq(checkpoints.id, id)).get();
}

export function listEventsAfter(db: Db, after: number, limit: number) {
  return db
    .select()
    .from(workflowEvents)
    .where(gt(workflowEvents.id, after))
    .orderBy(asc(workflowEvents.id))
    .limit(limit)
    .all();
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
