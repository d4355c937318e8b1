import { readQuery, route } from "@/lib/api/http";
import { adminEventListQuery } from "@/lib/api/schemas";
import type { AdminEventDto, Page } from "@/lib/api/types";
import { adminEventsOfUserPage } from "@/lib/auth/admin-events";
import { requireSession } from "@/lib/auth/guard";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

/** The admin actions this user did or had done to them, newest first (SPEC §11). */
export const GET = route<{ id: string }>((req, { id }) => {
  requireSession(req, Role.admin);
  const page = adminEventsOfUserPage(getRuntime().db, id, readQuery(req, adminEventListQuery));
  return Response.json(page satisfies Page<AdminEventDto>);
});
