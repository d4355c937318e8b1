import { getRunCreatorToken } from "@/db/queries";
import { readJson, route } from "@/lib/api/http";
import { emptyBody } from "@/lib/api/schemas";
import { runDto } from "@/lib/api/serialize";
import type { RunResponse } from "@/lib/api/types";
import { actorOf } from "@/lib/auth/authenticate";
import { assertMayChangeRun, assertMutation, requireSessionOrToken } from "@/lib/auth/guard";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";
import { TokenScope } from "@/lib/scopes";

export const POST = route<{ id: string }>(async (req, { id }) => {
  assertMutation(req);
  // runs:write, and only the runs this token started
  const principal = requireSessionOrToken(req, Role.reviewer, TokenScope.runsWrite);
  await readJson(req, emptyBody);
  const { db, engine } = getRuntime();
  if (principal.kind === "token") assertMayChangeRun(principal, id, getRunCreatorToken(db, id));
  const run = await engine.cancelRun(id, actorOf(principal));
  return Response.json({ run: runDto(run) } satisfies RunResponse);
});
