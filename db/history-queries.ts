import "server-only";
import { and, asc, desc, eq, getTableColumns, gte, lt, or, type SQL, sql } from "drizzle-orm";
import { PREVIEW_CHARS } from "@/lib/limits";
import type { Role } from "@/lib/roles";
import { CheckpointStatus } from "@/lib/status";
import type { Db } from "./client";
import { afterCursor, type Cursor, type Keyset, keysetPage, type PageRequest } from "./keyset";
import { type Checkpoint, checkpoints, users } from "./schema";

/**
 * The checkpoint list behind the queue and the history (SPEC §11), fast at a
 * million rows. Three plans, each bounded:
 * - at most one indexed filter: one keyset range scan of that filter's
 *   (column, created_at, id) index (drizzle/0005), stopping at the limit;
 * - two or more: the most selective filter's index read in chunks, the other
 *   filters checked on those rows only;
 * - a search: the FTS5 trigram index read in rowid order, in windows, the
 *   filters checked on the hits. Rowid order is insertion order, which is
 *   created_at order for rows the app writes (and the seed): search results
 *   are newest first by insertion.
 * The chunked plans stop after HISTORY_BUDGET_MS and return a partial page
 * whose cursor (the last row examined) continues the scan: "Load more".
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
function searchPhrase(q: string): string {
  return `"${q.replaceAll('"', '""')}"`;
}

function dayBound(value: string, end: boolean): number {
  // a bare date means the whole day
  const isDate = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(isDate ? `${value}T00:00:00.000Z` : value);
  return isDate && end ? ms + 24 * 60 * 60 * 1000 : ms;
}

/** A reviewer given as a user id or an email → the id (undefined: nobody by that name). */
function reviewerIdOf(db: Db, reviewer: string): string | undefined {
  const email = reviewer.trim().toLowerCase();
  return db
    .select({ id: users.id })
    .from(users)
    .where(or(eq(users.id, reviewer), eq(users.email, email)))
    .get()?.id;
}

type Resolved = Omit<CheckpointFilter, "reviewer" | "q"> & { reviewerId?: string };

/**
 * The filters as SQL. `indexed: false` writes each column as `+column`, which
 * keeps SQLite from choosing another index when the rows are already chosen.
 */
function filterWhere(filter: Resolved, indexed = true): SQL | undefined {
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
  if (q) return smallWindow(db, resolved) ? windowSearch(db, resolved, q, page) : searchScan(db, resolved, q, page);
  const drivers = drivingIndex(resolved);
  if (drivers.length <= 1 || resolved.runId)
    return keysetPage(checkpointPageQuery(db, resolved, page).all(), page.limit);
  const driver = leastCommon(db, drivers, resolved);
  if (!driver) return { items: [], next: null };
  return indexScan(db, resolved, driver, page);
}

/** The rows among `rowids` that pass the filters, in list order. */
function matching(db: Db, filter: Resolved, rowids: number[], byRowid: boolean, newestFirst: boolean) {
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
function collect(
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
function nextChunkSize(size: number, tookMs: number, min: number, max: number): number {
  if (tookMs < HISTORY_BUDGET_MS / 10) return Math.min(size * 4, max);
  if (tookMs > HISTORY_BUDGET_MS / 5) return Math.max(Math.floor(size / 2), min);
  return size;
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

function dateRange(filter: Resolved): { from: number; to: number } {
  return {
    from: filter.from ? dayBound(filter.from, false) : -Number.MAX_SAFE_INTEGER,
    to: filter.to ? dayBound(filter.to, true) : Number.MAX_SAFE_INTEGER,
  };
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

/** A date window with at most this many checkpoints is searched row by row rather than through FTS5. */
const WINDOW_SEARCH_MAX = 50_000;

/**
 * Whether the search has a date range of at most WINDOW_SEARCH_MAX rows. FTS5
 * reads a term's hits from one end of the index (a rowid bound is not a seek):
 * a common word in a week months ago walks every newer hit first (~200 ms at a
 * million rows), while testing the week's own rows costs a few ms.
 */
function smallWindow(db: Db, filter: Resolved): boolean {
  if (!filter.from && !filter.to) return false;
  const { from, to } = dateRange(filter);
  const { n } = db.$client
    .prepare(
      `SELECT count(*) AS n FROM (SELECT 1 FROM checkpoints INDEXED BY checkpoints_created_idx
       WHERE created_at >= ? AND created_at < ? LIMIT ${WINDOW_SEARCH_MAX + 1})`,
    )
    .get(from, to) as { n: number };
  return n <= WINDOW_SEARCH_MAX;
}

/**
 * A search inside a small date window: the window's rows in list order, in
 * chunks, each tested with gatehouse_contains (db/client.ts: a substring of
 * title, content, edited content or notes, case-insensitively, as the FTS5
 * trigram phrase matches), the other filters checked on the hits.
 */
function windowSearch(db: Db, filter: Resolved, q: string, page: CheckpointPage): Keyset<CheckpointSummaryRow> {
  const newestFirst = page.order === "newest";
  const cmp = newestFirst ? "<" : ">";
  const dir = newestFirst ? "DESC" : "ASC";
  const chunkQuery = (after: boolean) =>
    db.$client.prepare(
      `SELECT rowid AS r, created_at AS createdAt, id,
         gatehouse_contains(title, content, edited_content, notes, ?) AS hit
       FROM checkpoints INDEXED BY checkpoints_created_idx
       WHERE ${after ? `(created_at, id) ${cmp} (?, ?) AND ` : ""}created_at >= ? AND created_at < ?
       ORDER BY created_at ${dir}, id ${dir} LIMIT ?`,
    );
  const first = chunkQuery(false);
  const more = chunkQuery(true);
  const { from, to } = dateRange(filter);
  let after = page.after;
  let size = 256;
  return collect(page.limit, () => {
    const startedAt = performance.now();
    const chunk = (after ? more.all(q, after.createdAt, after.id, from, to, size) : first.all(q, from, to, size)) as {
      r: number;
      createdAt: number;
      id: string;
      hit: number;
    }[];
    const last = chunk.at(-1);
    const hits = chunk.filter((c) => c.hit === 1).map((c) => c.r);
    const rows = matching(db, filter, hits, false, newestFirst);
    const examined = chunk.length < size || !last ? null : { createdAt: last.createdAt, id: last.id };
    after = examined ?? undefined;
    size = nextChunkSize(size, performance.now() - startedAt, 256, 4096);
    return { rows, examined };
  });
}

/** Where a rowid-ordered scan resumes: the cursor row's rowid (or, if it is gone, its neighbour's). */
function rowidOf(db: Db, cursor: Cursor, newestFirst: boolean): number {
  const row = db.$client.prepare("SELECT rowid AS r FROM checkpoints WHERE id = ?").get(cursor.id) as
    | { r: number }
    | undefined;
  if (row) return row.r;
  const near = db.$client
    .prepare(
      newestFirst
        ? "SELECT rowid AS r FROM checkpoints WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT 1"
        : "SELECT rowid AS r FROM checkpoints WHERE (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT 1",
    )
    .get(cursor.createdAt, cursor.id) as { r: number } | undefined;
  if (!near) return newestFirst ? 0 : Number.MAX_SAFE_INTEGER;
  return newestFirst ? near.r + 1 : near.r - 1;
}

/**
 * A search: the FTS index read in rowid windows (newest first: downwards),
 * hits checked against the other filters. A window bounds the work of one
 * step even for a phrase whose trigrams are common but never appear together.
 */
function searchScan(db: Db, filter: Resolved, q: string, page: CheckpointPage): Keyset<CheckpointSummaryRow> {
  const newestFirst = page.order === "newest";
  // two subqueries: SQLite answers a lone min() or max() of the rowid from the b-tree's ends, both at once by a scan
  const bounds = db.$client
    .prepare("SELECT (SELECT min(rowid) FROM checkpoints) AS lo, (SELECT max(rowid) FROM checkpoints) AS hi")
    .get() as {
    lo: number | null;
    hi: number | null;
  };
  if (bounds.lo === null || bounds.hi === null) return { items: [], next: null };
  // a date range narrows the rowids to scan (rowid order is time order); rows are still checked against it
  const { from, to } = dateRange(filter);
  if (filter.from) {
    const first = db.$client
      .prepare("SELECT rowid AS r FROM checkpoints WHERE created_at >= ? ORDER BY created_at, id LIMIT 1")
      .get(from) as { r: number } | undefined;
    bounds.lo = Math.max(bounds.lo, first?.r ?? bounds.hi + 1);
  }
  if (filter.to) {
    const last = db.$client
      .prepare("SELECT rowid AS r FROM checkpoints WHERE created_at < ? ORDER BY created_at DESC, id DESC LIMIT 1")
      .get(to) as { r: number } | undefined;
    bounds.hi = Math.min(bounds.hi, last?.r ?? 0);
  }
  if (bounds.lo > bounds.hi) return { items: [], next: null };
  const hits = db.$client.prepare(
    `SELECT rowid AS r FROM checkpoints_search WHERE checkpoints_search MATCH ? AND rowid >= ? AND rowid < ?
     ORDER BY rowid ${newestFirst ? "DESC" : "ASC"} LIMIT ?`,
  );
  const keyAt = db.$client.prepare(
    `SELECT created_at AS createdAt, id FROM checkpoints WHERE rowid ${newestFirst ? ">=" : "<="} ? ORDER BY rowid ${newestFirst ? "ASC" : "DESC"} LIMIT 1`,
  );
  const phrase = searchPhrase(q);
  // the next rowid not yet examined, exclusive: below it (newest first) or above it
  let edge = page.after ? rowidOf(db, page.after, newestFirst) : newestFirst ? bounds.hi + 1 : bounds.lo - 1;
  let window = 8192;
  const cap = Math.max(page.limit * 4, 100);
  return collect(page.limit, () => {
    const startedAt = performance.now();
    const lo = newestFirst ? Math.max(edge - window, bounds.lo as number) : edge + 1;
    const hi = newestFirst ? edge : Math.min(edge + 1 + window, (bounds.hi as number) + 1);
    const found = (hits.all(phrase, lo, hi, cap) as { r: number }[]).map((h) => h.r);
    const full = found.length === cap;
    // everything from the edge to here has been looked at
    const reached = full ? (found.at(-1) as number) : newestFirst ? lo : hi - 1;
    const rows = matching(db, filter, found, true, newestFirst);
    edge = reached;
    window = nextChunkSize(window, performance.now() - startedAt, 1024, 1 << 20);
    const done = !full && (newestFirst ? lo <= (bounds.lo as number) : hi > (bounds.hi as number));
    return { rows, examined: done ? null : ((keyAt.get(reached) as Cursor | undefined) ?? null) };
  });
}
