import "server-only";
import { type AdminActor, type AdminEvent, listAdminEventsOfUser } from "@/db/admin-event-queries";
import { findUserById } from "@/db/auth-queries";
import type { Db } from "@/db/client";
import { readCursor, toPage } from "@/lib/api/cursor";
import type { AdminEventDto, Page } from "@/lib/api/types";
import { AppError, invalidField } from "@/lib/errors";
import type { Principal } from "./authenticate";

/** The audit log of admin actions (SPEC §11): who did them, and each user's history. */

/** How a caller appears in admin_events: a user by id and name, a token by id and `token:<name>`. */
export function adminActorOf(principal: Principal): AdminActor {
  return principal.kind === "user"
    ? { actorUserId: principal.user.id, actorTokenId: null, actorName: principal.user.name }
    : { actorUserId: null, actorTokenId: principal.token.id, actorName: `token:${principal.token.name}` };
}

function toAdminEventDto(row: AdminEvent): AdminEventDto {
  return {
    id: row.id,
    type: row.type,
    actor: { userId: row.actorUserId, tokenId: row.actorTokenId, name: row.actorName },
    subjectUserId: row.subjectUserId,
    subjectId: row.subjectId,
    data: row.data ?? null,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** `GET /api/users/:id/events`: what the user did or had done to them, newest first. 404 for an unknown user. */
export function adminEventsOfUserPage(
  db: Db,
  userId: string,
  query: { limit: number; cursor?: string },
): Page<AdminEventDto> {
  if (!findUserById(db, userId)) throw new AppError("not_found", `User ${userId} not found`);
  const cursor = readCursor(query.cursor);
  if (cursor && !/^\d{1,15}$/.test(cursor.id)) {
    throw new AppError(
      "invalid_input",
      "The query string is invalid",
      invalidField("cursor", "The cursor is not valid"),
    );
  }
  const page = listAdminEventsOfUser(db, userId, {
    limit: query.limit,
    beforeId: cursor ? Number(cursor.id) : undefined,
  });
  return toPage(page, toAdminEventDto);
}
