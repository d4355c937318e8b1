import { getRunDetail } from "@/db/queries";
import { route } from "@/lib/api/http";
import { checkpointDto, eventDto, runDto, stepDto } from "@/lib/api/serialize";
import type { RunDetailResponse } from "@/lib/api/types";
import { mayReadRun, requireSessionOrToken } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";
import { RUN_SCOPES } from "@/lib/scopes";

export const GET = route<{ id: string }>((req, { id }) => {
  // runs:read reads every run; runs:write alone only the runs this token started (others are 404)
  const principal = requireSessionOrToken(req, Role.reviewer, RUN_SCOPES);
  const detail = getRunDetail(getRuntime().db, id);
  if (!detail || !mayReadRun(principal, detail.run)) throw new AppError("not_found", `Run ${id} not found`);
  return Response.json({
    run: runDto(detail.run),
    steps: detail.steps.map(stepDto),
    checkpoints: detail.checkpoints.map(checkpointDto),
    events: detail.events.map(eventDto),
  } satisfies RunDetailResponse);
});
