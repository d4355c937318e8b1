import { readJson, route } from "@/lib/api/http";
import { emptyBody } from "@/lib/api/schemas";
import { runDto } from "@/lib/api/serialize";
import type { RunResponse } from "@/lib/api/types";
import { actorOf } from "@/lib/auth/authenticate";
import { assertMutation, requireSessionOrToken } from "@/lib/auth/guard";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

export const POST = route<{ id: string }>(async (req, { id }) => {
  assertMutation(req);
  const principal = requireSessionOrToken(req, Role.reviewer);
  await readJson(req, emptyBody);
  const run = await getRuntime().engine.cancelRun(id, actorOf(principal));
  return Response.json({ run: runDto(run) } satisfies RunResponse);
});
