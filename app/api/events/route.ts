import { listEventsWithSummaries } from "@/db/queries";
import { readQuery, route } from "@/lib/api/http";
import { eventsQuery } from "@/lib/api/schemas";
import { liveEventDtos } from "@/lib/api/serialize";
import type { EventsResponse } from "@/lib/api/types";
import { requireSession } from "@/lib/auth/guard";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

export const GET = route((req) => {
  // people only: the audit log holds every run's events and reviewers' notes (tokens read their runs' events with the run)
  requireSession(req, Role.reviewer);
  const { after, limit } = readQuery(req, eventsQuery);
  const loaded = listEventsWithSummaries(getRuntime().db, after, limit);
  return Response.json({
    items: liveEventDtos(loaded),
    lastId: loaded.events.at(-1)?.id ?? after,
    hasMore: loaded.events.length === limit,
  } satisfies EventsResponse);
});
