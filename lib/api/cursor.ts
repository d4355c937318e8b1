import "server-only";
import { AppError, invalidField } from "@/lib/errors";

/** Keyset position of a list ordered by (createdAt, id): opaque to clients. */
export type Cursor = { createdAt: number; id: string };

export function encodeCursor(row: Cursor): string {
  return Buffer.from(JSON.stringify([row.createdAt, row.id])).toString("base64url");
}

/** A `?cursor=` value back into a position; anything else is a 400 naming the parameter. */
export function decodeCursor(cursor: string): Cursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof createdAt === "number" && typeof id === "string") return { createdAt, id };
  } catch {
    // not base64url JSON: refused below like any other bad value
  }
  throw new AppError("invalid_input", "The query string is invalid", invalidField("cursor", "The cursor is not valid"));
}

/** `limit + 1` rows fetched → the page and the cursor of the next one (null on the last page). */
export function keysetPage<T extends Cursor>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
