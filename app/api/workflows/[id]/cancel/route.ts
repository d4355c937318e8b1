import { readJson, route } from "@/lib/api/http";
import { emptyBody } from "@/lib/api/schemas";
import { runDto } from "@/lib/api/serialize";
import type { RunResponse } from "@/lib/api/types";
import { actorOf, assertMutation, requireRole } from "@/lib/auth/guard";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

export const POST = route<{ id: string }>(async (req, { id }) => {
  assertMutation(req);
  const principal = requireRole(req, Role.reviewer, { allowToken: true });
  await readJson(req, emptyBody);
  const run = await getRuntime().engine.cancelRun(id, actorOf(principal));
  return Response.json({ run: runDto(run) } satisfies RunResponse);
});
