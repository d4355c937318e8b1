import { getCheckpoint } from "@/db/queries";
import { route } from "@/lib/api/http";
import { checkpointDto } from "@/lib/api/serialize";
import type { CheckpointResponse } from "@/lib/api/types";
import { requireSessionOrToken } from "@/lib/auth/guard";
import { assertMayReadCheckpoint } from "@/lib/inbox/access";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";
import { TokenScope } from "@/lib/scopes";

export const GET = route<{ id: string }>((req, { id }) => {
  // a checkpoints:write token reads the checkpoints it created
  const principal = requireSessionOrToken(req, Role.reviewer, TokenScope.checkpointsWrite);
  const checkpoint = assertMayReadCheckpoint(principal, getCheckpoint(getRuntime().db, id), id);
  return Response.json({ checkpoint: checkpointDto(checkpoint) } satisfies CheckpointResponse);
});
