import "server-only";
import { and, asc, desc, eq, or, type SQL, sql } from "drizzle-orm";
import { CheckpointStatus } from "@/lib/status";
import type { Db } from "./client";
import {
  type CheckpointFilter,
  type CheckpointPage,
  type CheckpointSummaryRow,
  checkpointSummaryColumns,
  collect,
  dateRange,
  filterWhere,
  matching,
  nextChunkSize,
  type Resolved,
  searchPhrase,
} from "./history-scan";
import { searchHistory } from "./history-search";
import { afterCursor, type Cursor, type Keyset, keysetPage } from "./keyset";
import { checkpoints, users } from "./schema";

export type { CheckpointFilter, CheckpointSummaryRow } from "./history-scan";

/**
 * The checkpoint list behind the queue and the history (SPEC §11), fast at a
 * million rows. Three plans, each bounded:
 * - at most one indexed filter: one keyset range scan of that filter's
 *   (column, created_at, id) index (drizzle/0005), stopping at the limit;
 * - two or more: the most selective filter's index read in chunks, the other
 *   filters checked on those rows only;
 * - a search (db/history-search.ts): the FTS5 trigram index read in rowid
 *   order, in windows, or a small date window's rows tested one by one; the
 *   filters checked on the hits. Rowid order is insertion order, which is
 *   created_at order for rows the app writes (and the seed): search results
 *   are newest first by insertion.
 * The chunked plans (db/history-scan.ts) stop before they would overrun their
 * time budget and return a partial page whose cursor (the last row examined)
 * continues the scan: "Load more".
 */

/** A reviewer given as a user id or an email → the id (undefined: nobody by that name). */
function reviewerIdOf(db: Db, reviewer: string): string | undefined {
  const email = reviewer.trim().toLowerCase();
  return db
    .select({ id: users.id })
    .from(users)
    .where(or(eq(users.id, reviewer), eq(users.email, email)))
    .get()?.id;
}

// the queue's order: soonest due first, checkpoints without a due date after them all
const NO_DUE = 8_640_000_000_000_000;
const dueKey = sql<number>`coalesce(${checkpoints.dueAt}, ${NO_DUE})`;

function afterDueCursor(cursor: Cursor | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const due = cursor.due ?? NO_DUE;
  return or(sql`${dueKey} > ${due}`, and(sql`${dueKey} = ${due}`, afterCursor(checkpoints, cursor, false)));
}

/** How a reader of every match in (created_at, id) order (the export) should read a filter. */
export type FullScanPlan =
  /** one keyset range scan of an index serves it: page with this condition directly */
  | { plan: "range"; where: SQL | undefined }
  /** the reviewer named is nobody: nothing matches */
  | { plan: "empty" }
  /** a search, or two or more indexed filters: page through listCheckpoints (its chunked, time-bounded plans) */
  | { plan: "history" };

export function fullScanPlan(db: Db, filter: CheckpointFilter): FullScanPlan {
  const { reviewer, q, assignedTo: _assignedTo, ...rest } = filter;
  if (q || filter.assignedTo) return { plan: "history" };
  const resolved: Resolved = rest;
  if (reviewer !== undefined) {
    const id = reviewerIdOf(db, reviewer);
    if (id === undefined) return { plan: "empty" };
    resolved.reviewerId = id;
  }
  if (drivingIndex(resolved).length > 1 && !resolved.runId) return { plan: "history" };
  return { plan: "range", where: filterWhere(resolved) };
}

/** One keyset range scan: the queue's order, or at most one indexed filter (exported so its plan can be checked). */
export function checkpointPageQuery(db: Db, filter: Resolved & { q?: string }, page: CheckpointPage) {
  const query = db.select(checkpointSummaryColumns).from(checkpoints);
  const where = and(
    filterWhere(filter),
    filter.q
      ? sql`${checkpoints}.rowid IN (SELECT rowid FROM checkpoints_search WHERE checkpoints_search MATCH ${searchPhrase(filter.q)})`
      : undefined,
  );
  if (page.order === "due") {
    return query
      .where(and(where, afterDueCursor(page.after)))
      .orderBy(dueKey, asc(checkpoints.createdAt), asc(checkpoints.id))
      .limit(page.limit + 1);
  }
  const newestFirst = page.order === "newest";
  const direction = newestFirst ? desc : asc;
  return query
    .where(and(where, afterCursor(checkpoints, page.after, newestFirst)))
    .orderBy(direction(checkpoints.createdAt), direction(checkpoints.id))
    .limit(page.limit + 1);
}

/** The indexed filters present (the least common one drives a chunked scan). */
type Driver = { index: string; column: string; value: string };

function drivingIndex(filter: Resolved): Driver[] {
  const common = filter.status === CheckpointStatus.approved;
  const candidates: [string, string, string | undefined][] = [
    ["checkpoints_reviewer_created_idx", "reviewer_id", filter.reviewerId],
    ["checkpoints_source_created_idx", "source", filter.source],
    ["checkpoints_step_created_idx", "step_name", filter.step],
    ["checkpoints_status_created_idx", "status", common ? undefined : filter.status],
    ["checkpoints_workflow_created_idx", "workflow_id", filter.workflow],
    ["checkpoints_status_created_idx", "status", common ? filter.status : undefined],
  ];
  return candidates.flatMap(([index, column, value]) => (value === undefined ? [] : [{ index, column, value }]));
}

export function listCheckpoints(db: Db, filter: CheckpointFilter, page: CheckpointPage): Keyset<CheckpointSummaryRow> {
  const { reviewer, q, ...rest } = filter;
  const resolved: Resolved = rest;
  if (reviewer !== undefined) {
    const id = reviewerIdOf(db, reviewer);
    if (id === undefined) return { items: [], next: null };
    resolved.reviewerId = id;
  }
  if (page.order === "due") {
    const result = keysetPage(checkpointPageQuery(db, { ...resolved, q }, page).all(), page.limit);
    const last = result.items.at(-1);
    return result.next ? { ...result, next: { ...result.next, due: last?.dueAt ?? NO_DUE } } : result;
  }
  if (q) return searchHistory(db, resolved, q, page);
  const drivers = drivingIndex(resolved);
  if (drivers.length <= 1 || resolved.runId)
    return keysetPage(checkpointPageQuery(db, resolved, page).all(), page.limit);
  const driver = leastCommon(db, drivers, resolved);
  if (!driver) return { items: [], next: null };
  return indexScan(db, resolved, driver, page);
}

const SELECTIVITY_PROBE = 25_000;

/**
 * Of the filters' indexes, the one with the fewest entries in the date range
 * (each counted up to SELECTIVITY_PROBE entries of a covering index: a few ms);
 * undefined when one has none, so nothing can match.
 */
function leastCommon(db: Db, drivers: Driver[], filter: Resolved): Driver | undefined {
  const { from, to } = dateRange(filter);
  let best: { driver: Driver; count: number } | undefined;
  for (const driver of drivers) {
    const { n } = db.$client
      .prepare(
        `SELECT count(*) AS n FROM (SELECT 1 FROM checkpoints INDEXED BY ${driver.index}
         WHERE ${driver.column} = ? AND created_at >= ? AND created_at < ? LIMIT ${SELECTIVITY_PROBE})`,
      )
      .get(driver.value, from, to) as { n: number };
    if (n === 0) return undefined;
    if (!best || n < best.count) best = { driver, count: n };
  }
  return best?.driver;
}

/** Two or more filters: the driving index read a chunk at a time (covering: no table rows), the rest checked on those. */
function indexScan(db: Db, filter: Resolved, driver: Driver, page: CheckpointPage): Keyset<CheckpointSummaryRow> {
  const newestFirst = page.order === "newest";
  const cmp = newestFirst ? "<" : ">";
  const dir = newestFirst ? "DESC" : "ASC";
  const chunkQuery = (after: boolean) =>
    db.$client.prepare(
      `SELECT rowid AS r, created_at AS createdAt, id FROM checkpoints INDEXED BY ${driver.index}
       WHERE ${driver.column} = ? AND created_at >= ? AND created_at < ? ${after ? `AND (created_at, id) ${cmp} (?, ?)` : ""}
       ORDER BY created_at ${dir}, id ${dir} LIMIT ?`,
    );
  const first = chunkQuery(false);
  const more = chunkQuery(true);
  // the date range bounds the index range itself
  const { from, to } = dateRange(filter);
  let after = page.after;
  let size = 256;
  return collect(page.limit, () => {
    const startedAt = performance.now();
    const chunk = (
      after
        ? more.all(driver.value, from, to, after.createdAt, after.id, size)
        : first.all(driver.value, from, to, size)
    ) as { r: number; createdAt: number; id: string }[];
    const last = chunk.at(-1);
    const rows = matching(
      db,
      filter,
      chunk.map((c) => c.r),
      false,
      newestFirst,
    );
    const examined = chunk.length < size || !last ? null : { createdAt: last.createdAt, id: last.id };
    after = examined ?? undefined;
    // the budget is checked between chunks, so one chunk must stay a fraction of it
    size = nextChunkSize(size, performance.now() - startedAt, 256, 4096);
    return { rows, examined };
  });
}
