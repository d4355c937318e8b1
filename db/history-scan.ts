import "server-only";
import { and, asc, desc, eq, getTableColumns, gte, lt, or, type SQL, sql } from "drizzle-orm";
import { PREVIEW_CHARS } from "@/lib/limits";
import type { Role } from "@/lib/roles";
import type { CheckpointStatus } from "@/lib/status";
import type { Db } from "./client";
import { type Cursor, type Keyset, keysetPage, type PageRequest } from "./keyset";
import { type Checkpoint, checkpoints } from "./schema";

/**
 * What the history list's plans share (db/history-queries.ts, db/history-search.ts):
 * the filters as SQL, the summary columns, and the chunked scan that stops
 * before it would overrun its time budget.
 */

export type CheckpointFilter = {
  status?: CheckpointStatus;
  workflow?: string;
  step?: string;
  /** A user id or email (resolved to the id: the reviewer index holds ids). */
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
export type CheckpointPage = PageRequest & { order: "oldest" | "newest" | "due" };

/** How long one request may scan before it answers with what it found (and a cursor). */
const HISTORY_BUDGET_MS = 50;

/** A checkpoint as lists show it: a short preview instead of the content, no edit or notes. */
const { content: _content, editedContent, notes: _notes, ...checkpointColumns } = getTableColumns(checkpoints);
export const checkpointSummaryColumns = {
  ...checkpointColumns,
  preview: sql<string>`substr(${checkpoints.content}, 1, ${PREVIEW_CHARS})`,
  edited: sql<boolean>`${editedContent} is not null`.mapWith(Boolean),
};
export type CheckpointSummaryRow = Omit<Checkpoint, "content" | "editedContent" | "notes"> & {
  preview: string;
  edited: boolean;
};

/** `q` as an FTS5 phrase: with the trigram tokenizer it matches that substring, case-insensitively. */
export function searchPhrase(q: string): string {
  return `"${q.replaceAll('"', '""')}"`;
}

function dayBound(value: string, end: boolean): number {
  // a bare date means the whole day
  const isDate = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(isDate ? `${value}T00:00:00.000Z` : value);
  return isDate && end ? ms + 24 * 60 * 60 * 1000 : ms;
}

export type Resolved = Omit<CheckpointFilter, "reviewer" | "q"> & { reviewerId?: string };

/**
 * The filters as SQL. `indexed: false` writes each column as `+column`, which
 * keeps SQLite from choosing another index when the rows are already chosen.
 */
export function filterWhere(filter: Resolved, indexed = true): SQL | undefined {
  const col = (c: (typeof checkpoints)["_"]["columns"][keyof (typeof checkpoints)["_"]["columns"]]) =>
    indexed ? sql`${c}` : sql`+${c}`;
  const is = (c: Parameters<typeof col>[0], value: string | undefined) =>
    value === undefined ? undefined : indexed ? eq(c, value) : sql`${col(c)} = ${value}`;
  return and(
    is(checkpoints.status, filter.status),
    is(checkpoints.workflowId, filter.workflow),
    is(checkpoints.stepName, filter.step),
    is(checkpoints.runId, filter.runId),
    is(checkpoints.source, filter.source),
    is(checkpoints.reviewerId, filter.reviewerId),
    filter.assignedTo
      ? or(
          eq(checkpoints.assigneeUserId, filter.assignedTo.userId),
          eq(checkpoints.assigneeRole, filter.assignedTo.role),
        )
      : undefined,
    filter.from
      ? indexed
        ? gte(checkpoints.createdAt, dayBound(filter.from, false))
        : sql`${col(checkpoints.createdAt)} >= ${dayBound(filter.from, false)}`
      : undefined,
    filter.to
      ? indexed
        ? lt(checkpoints.createdAt, dayBound(filter.to, true))
        : sql`${col(checkpoints.createdAt)} < ${dayBound(filter.to, true)}`
      : undefined,
  );
}

/** The rows among `rowids` that pass the filters, in list order. */
export function matching(db: Db, filter: Resolved, rowids: number[], byRowid: boolean, newestFirst: boolean) {
  if (rowids.length === 0) return [];
  const direction = newestFirst ? desc : asc;
  return db
    .select(checkpointSummaryColumns)
    .from(checkpoints)
    .where(
      and(
        sql`${checkpoints}.rowid IN (SELECT value FROM json_each(${JSON.stringify(rowids)}))`,
        filterWhere(filter, false),
      ),
    )
    .orderBy(
      ...(byRowid
        ? [direction(sql`${checkpoints}.rowid`)]
        : [direction(checkpoints.createdAt), direction(checkpoints.id)]),
    )
    .all();
}

/** Collects matches chunk by chunk until the page (plus one) is full, the rows run out or the budget is spent. */
export function collect(
  limit: number,
  nextChunk: () => { rows: CheckpointSummaryRow[]; examined: Cursor | null },
): Keyset<CheckpointSummaryRow> {
  const startedAt = performance.now();
  const found: CheckpointSummaryRow[] = [];
  for (;;) {
    const chunkStartedAt = performance.now();
    const { rows, examined } = nextChunk();
    found.push(...rows.slice(0, limit + 1 - found.length));
    if (found.length > limit || examined === null) return keysetPage(found, limit);
    // stop before a chunk like the last one would take the request past its budget
    const now = performance.now();
    if (now - startedAt + (now - chunkStartedAt) > HISTORY_BUDGET_MS) return { items: found, next: examined };
  }
}

/**
 * The next chunk's size from how long this one took: grow while a chunk is
 * cheap, shrink when it takes more than a fifth of the budget (the budget is
 * only checked between chunks, so a large chunk would overshoot it).
 */
export function nextChunkSize(size: number, tookMs: number, min: number, max: number): number {
  if (tookMs < HISTORY_BUDGET_MS / 10) return Math.min(size * 4, max);
  if (tookMs > HISTORY_BUDGET_MS / 5) return Math.max(Math.floor(size / 2), min);
  return size;
}

export function dateRange(filter: Resolved): { from: number; to: number } {
  return {
    from: filter.from ? dayBound(filter.from, false) : -Number.MAX_SAFE_INTEGER,
    to: filter.to ? dayBound(filter.to, true) : Number.MAX_SAFE_INTEGER,
  };
}
