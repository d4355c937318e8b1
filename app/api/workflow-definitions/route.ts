import { route } from "@/lib/api/http";
import { definitionDto } from "@/lib/api/serialize";
import type { DefinitionsResponse } from "@/lib/api/types";
import { requireSessionOrToken } from "@/lib/auth/guard";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";
import { RUN_SCOPES } from "@/lib/scopes";

export const GET = route((req) => {
  // what a client needs to start runs (runs:write) or to read them (runs:read)
  requireSessionOrToken(req, Role.reviewer, RUN_SCOPES);
  const items = getRuntime().engine.listWorkflows().map(definitionDto);
  return Response.json({ items } satisfies DefinitionsResponse);
});
