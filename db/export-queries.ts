import "server-only";
import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "./client";
import type { Cursor } from "./keyset";
import { checkpoints, users, workflowRuns } from "./schema";

/**
 * The export's reads (SPEC §11): full rows, with what the evaluation export
 * needs from the run and the reviewer. Rows come back as arrays (`.values()`:
 * no per-column mapping, JSON columns left as their stored text, which the
 * export writes out as it is) and are turned into ExportRow in one step.
 */

const exportColumns = {
  id: checkpoints.id,
  runId: checkpoints.runId,
  workflow: checkpoints.workflowId,
  step: checkpoints.stepName,
  round: checkpoints.round,
  source: checkpoints.source,
  title: checkpoints.title,
  status: checkpoints.status,
  contentType: checkpoints.contentType,
  content: checkpoints.content,
  editedContent: checkpoints.editedContent,
  notes: checkpoints.notes,
  model: checkpoints.model,
  // JSON text as stored (the app writes it with JSON.stringify): never parsed on the way out
  metadata: sql<string | null>`${checkpoints.metadata}`,
  reviewerId: checkpoints.reviewerId,
  reviewerName: checkpoints.reviewerName,
  reviewerEmail: users.email,
  runInput: sql<string>`${workflowRuns.input}`,
  createdAt: checkpoints.createdAt,
  resolvedAt: checkpoints.resolvedAt,
};

export type ExportRow = {
  id: string;
  runId: string;
  workflow: string;
  step: string;
  round: number;
  source: string | null;
  title: string | null;
  status: string;
  contentType: string;
  content: string;
  editedContent: string | null;
  notes: string | null;
  model: string | null;
  /** JSON text */
  metadata: string | null;
  reviewerId: string | null;
  reviewerName: string | null;
  reviewerEmail: string | null;
  /** JSON text */
  runInput: string;
  createdAt: number;
  resolvedAt: number | null;
};

// the array order of `.values()` is the order of exportColumns' keys
type ExportTuple = [
  string,
  string,
  string,
  string,
  number,
  string | null,
  string | null,
  string,
  string,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string,
  number,
  number | null,
];

function toExportRow(v: ExportTuple): ExportRow {
  return {
    id: v[0],
    runId: v[1],
    workflow: v[2],
    step: v[3],
    round: v[4],
    source: v[5],
    title: v[6],
    status: v[7],
    contentType: v[8],
    content: v[9],
    editedContent: v[10],
    notes: v[11],
    model: v[12],
    metadata: v[13],
    reviewerId: v[14],
    reviewerName: v[15],
    reviewerEmail: v[16],
    runInput: v[17],
    createdAt: v[18],
    resolvedAt: v[19],
  };
}

function exportSelect(db: Db, where: SQL | undefined) {
  return db
    .select(exportColumns)
    .from(checkpoints)
    .innerJoin(workflowRuns, eq(workflowRuns.id, checkpoints.runId))
    .leftJoin(users, eq(users.id, checkpoints.reviewerId))
    .where(where);
}

/**
 * One batch of the export in history order (newest first), read directly:
 * `where` is the history's filter condition (db/history-queries.ts
 * fullScanPlan), which one (column, created_at, id) index serves, and the
 * row-value keyset `(created_at, id) < (?, ?)` continues that index's range
 * where the last batch stopped. One query per batch.
 */
export function exportBatchQuery(db: Db, where: SQL | undefined, after: Cursor | undefined, limit: number) {
  const keyset = after
    ? sql`(${checkpoints.createdAt}, ${checkpoints.id}) < (${after.createdAt}, ${after.id})`
    : undefined;
  // the keyset first: of two upper bounds on created_at (it and a `to` date) SQLite bounds the index range with
  // the first, and only the keyset lets each batch start where the last stopped instead of at the top of the range
  return exportSelect(db, and(keyset, where)).orderBy(desc(checkpoints.createdAt), desc(checkpoints.id)).limit(limit);
}

export function exportRowsAfter(db: Db, where: SQL | undefined, after: Cursor | undefined, limit: number): ExportRow[] {
  return (exportBatchQuery(db, where, after, limit).values() as ExportTuple[]).map(toExportRow);
}

/** The full rows of the ids a history page listed (searches and several filters); order is the caller's. */
export function exportRowsByIds(db: Db, ids: readonly string[]): ExportRow[] {
  if (ids.length === 0) return [];
  const tuples = exportSelect(db, inArray(checkpoints.id, [...ids])).values() as ExportTuple[];
  return tuples.map(toExportRow);
}
