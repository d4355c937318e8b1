import "server-only";
import type { Db } from "./client";
import { adminEvents } from "./schema";

export type NewAdminEvent = Omit<typeof adminEvents.$inferInsert, "id" | "createdAt">;

/**
 * Appends an admin action (SPEC §11) to the audit log. Call it inside the
 * transaction that makes the change, so the change and its record commit together.
 */
export function insertAdminEvent(db: Pick<Db, "insert">, event: NewAdminEvent): void {
  db.insert(adminEvents)
    .values({ ...event, createdAt: Date.now() })
    .run();
}
