import "server-only";
import { and, eq, gt, lt, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** Keyset paging over (createdAt, id) for every list in db/; the API edge (lib/api/cursor.ts) encodes cursors. */

/** Where a page starts: after the row with this (createdAt, id), and its due date in the queue's order. */
export type Cursor = { createdAt: number; id: string; due?: number };
/** One page of rows and the cursor of the next page (null on the last). */
export type Keyset<T> = { items: T[]; next: Cursor | null };
export type PageRequest = { limit: number; after?: Cursor };

/** The condition "after the cursor" in (createdAt, id) order, ascending or descending. */
export function afterCursor(
  columns: { createdAt: SQLiteColumn; id: SQLiteColumn },
  cursor: Cursor | undefined,
  descending: boolean,
): SQL | undefined {
  if (!cursor) return undefined;
  const cmp = descending ? lt : gt;
  return or(
    cmp(columns.createdAt, cursor.createdAt),
    and(eq(columns.createdAt, cursor.createdAt), cmp(columns.id, cursor.id)),
  );
}

/** `limit + 1` rows fetched → the page and where the next one starts. */
export function keysetPage<T extends Cursor>(rows: T[], limit: number): Keyset<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}
