import { route } from "@/lib/api/http";
import { definitionDto } from "@/lib/api/serialize";
import type { DefinitionsResponse } from "@/lib/api/types";
import { requireSessionOrToken } from "@/lib/auth/guard";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

export const GET = route((req) => {
  requireSessionOrToken(req, Role.reviewer);
  const items = getRuntime().engine.listWorkflows().map(definitionDto);
  return Response.json({ items } satisfies DefinitionsResponse);
});
