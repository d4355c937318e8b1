import "server-only";
import type { Db } from "./client";
import {
  type CheckpointPage,
  type CheckpointSummaryRow,
  collect,
  dateRange,
  matching,
  nextChunkSize,
  type Resolved,
  searchPhrase,
} from "./history-scan";
import type { Cursor, Keyset } from "./keyset";

/**
 * A search (`q`) in the history list: the FTS5 trigram index read in rowid
 * windows, or, inside a small date window, that window's rows tested one by one.
 */
export function searchHistory(db: Db, filter: Resolved, q: string, page: CheckpointPage): Keyset<CheckpointSummaryRow> {
  return smallWindow(db, filter) ? windowSearch(db, filter, q, page) : searchScan(db, filter, q, page);
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
