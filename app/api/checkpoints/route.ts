import { listCheckpoints } from "@/db/queries";
import { readQuery, route } from "@/lib/api/http";
import { checkpointListQuery } from "@/lib/api/schemas";
import { checkpointDto } from "@/lib/api/serialize";
import type { CheckpointDto, Page } from "@/lib/api/types";
import { requireSession } from "@/lib/auth/guard";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

export const GET = route((req) => {
  requireSession(req, Role.reviewer);
  const page = listCheckpoints(getRuntime().db, readQuery(req, checkpointListQuery));
  return Response.json({
    items: page.items.map(checkpointDto),
    nextCursor: page.nextCursor,
  } satisfies Page<CheckpointDto>);
});
