import { getCheckpoint } from "@/db/queries";
import { route } from "@/lib/api/http";
import { checkpointDto } from "@/lib/api/serialize";
import type { CheckpointResponse } from "@/lib/api/types";
import { requireSession } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

export const GET = route<{ id: string }>((req, { id }) => {
  requireSession(req, Role.reviewer);
  const checkpoint = getCheckpoint(getRuntime().db, id);
  if (!checkpoint) throw new AppError("not_found", `Checkpoint ${id} not found`);
  return Response.json({ checkpoint: checkpointDto(checkpoint) } satisfies CheckpointResponse);
});
