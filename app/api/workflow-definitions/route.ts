import { route } from "@/lib/api/http";
import { requireRole } from "@/lib/auth/guard";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

export const GET = route((req) => {
  requireRole(req, Role.reviewer, { allowToken: true });
  const items = getRuntime()
    .engine.listWorkflows()
    .map((w) => ({
      id: w.id,
      name: w.name,
      description: w.description,
      inputSchema: w.inputJsonSchema,
      steps: w.steps.map((s) => ({ name: s.name, kind: s.kind })),
    }));
  return Response.json({ items });
});
