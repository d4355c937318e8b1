import { listCheckpoints } from "@/db/queries";
import { readCursor, toPage } from "@/lib/api/cursor";
import { readQuery, route } from "@/lib/api/http";
import { checkpointListQuery } from "@/lib/api/schemas";
import { checkpointSummaryDto } from "@/lib/api/serialize";
import type { CheckpointSummaryDto, Page } from "@/lib/api/types";
import { requireSession } from "@/lib/auth/guard";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

export const GET = route((req) => {
  const { user } = requireSession(req, Role.reviewer);
  const { limit, cursor, order, assignee, ...filter } = readQuery(req, checkpointListQuery);
  const assignedTo = assignee === "me" ? { userId: user.id, role: user.role } : undefined;
  const page = listCheckpoints(getRuntime().db, { ...filter, assignedTo }, { limit, order, after: readCursor(cursor) });
  return Response.json(toPage(page, checkpointSummaryDto) satisfies Page<CheckpointSummaryDto>);
});
