import { route } from "@/lib/api/http";
import { definitionDto } from "@/lib/api/serialize";
import type { DefinitionsResponse } from "@/lib/api/types";
import { requireRole } from "@/lib/auth/guard";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

export const GET = route((req) => {
  requireRole(req, Role.reviewer, { allowToken: true });
  const items = getRuntime().engine.listWorkflows().map(definitionDto);
  return Response.json({ items } satisfies DefinitionsResponse);
});
