import "server-only";
import type { Cursor, Keyset } from "@/db/keyset";
import { AppError, invalidField } from "@/lib/errors";
import type { Page } from "./types";

/**
 * Keyset cursors at the API's edge: opaque to clients (base64url of
 * `[createdAt, id]` of a page's last item), plain values in db/.
 */

function encodeCursor(row: Cursor): string {
  const parts = row.due === undefined ? [row.createdAt, row.id] : [row.createdAt, row.id, row.due];
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

/** The `cursor` query parameter as db/ takes it; one that is not ours is a 400 naming the parameter. */
export function readCursor(cursor: string | undefined): Cursor | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [createdAt, id, due] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof createdAt === "number" && typeof id === "string") {
      if (due === undefined) return { createdAt, id };
      if (typeof due === "number") return { createdAt, id, due };
    }
  } catch {
    // not base64url JSON: refused below like any other bad value
  }
  throw new AppError("invalid_input", "The query string is invalid", invalidField("cursor", "The cursor is not valid"));
}

/** A page of rows from db/ as the API sends it: items mapped, the next cursor encoded. */
export function toPage<Row, Item>(page: Keyset<Row>, toItem: (row: Row) => Item): Page<Item> {
  return { items: page.items.map(toItem), nextCursor: page.next ? encodeCursor(page.next) : null };
}
