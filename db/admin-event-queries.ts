import "server-only";
import { and, desc, eq, lt } from "drizzle-orm";
import type { Db } from "./client";
import type { Keyset } from "./keyset";
import { adminEvents } from "./schema";

export type AdminEvent = typeof adminEvents.$inferSelect;

export type NewAdminEvent = Omit<typeof adminEvents.$inferInsert, "id" | "createdAt">;

/** Who did an admin action: a user, an API token, or (both ids null) the CLI or the server itself. */
export type AdminActor = Pick<NewAdminEvent, "actorUserId" | "actorTokenId" | "actorName">;
export const CLI_ACTOR: AdminActor = { actorUserId: null, actorTokenId: null, actorName: "cli" };

/**
 * Appends an admin action (SPEC §11) to the audit log. Call it inside the
 * transaction that makes the change, so the change and its record commit together.
 */
export function insertAdminEvent(db: Pick<Db, "insert">, event: NewAdminEvent): void {
  db.insert(adminEvents)
    .values({ ...event, createdAt: Date.now() })
    .run();
}

/**
 * The actions a user did or had done to them, newest first (by id), one page
 * after `beforeId`. Two index walks ((actor_user_id, id) and (subject_user_id,
 * id)), each at most limit + 1 rows, merged here: an OR over both columns
 * would sort the user's whole history for every page.
 */
export function listAdminEventsOfUser(
  db: Db,
  userId: string,
  page: { limit: number; beforeId?: number },
): Keyset<AdminEvent> {
  const walk = (column: typeof adminEvents.actorUserId | typeof adminEvents.subjectUserId) =>
    db
      .select()
      .from(adminEvents)
      .where(and(eq(column, userId), page.beforeId === undefined ? undefined : lt(adminEvents.id, page.beforeId)))
      .orderBy(desc(adminEvents.id))
      .limit(page.limit + 1)
      .all();
  const byId = new Map<number, AdminEvent>();
  for (const row of [...walk(adminEvents.actorUserId), ...walk(adminEvents.subjectUserId)]) byId.set(row.id, row);
  const rows = [...byId.values()].sort((a, b) => b.id - a.id);
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  // the id alone orders the log; the cursor keeps the (createdAt, id) shape every other list uses
  return { items, next: rows.length > page.limit && last ? { createdAt: last.createdAt, id: String(last.id) } : null };
}
