import { readJson, route } from "@/lib/api/http";
import { resolveBody } from "@/lib/api/schemas";
import { checkpointDto, runDto } from "@/lib/api/serialize";
import type { DecisionResponse } from "@/lib/api/types";
import { actorOf } from "@/lib/auth/authenticate";
import { assertMutation, requireSession } from "@/lib/auth/guard";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

export const POST = route<{ id: string }>(async (req, { id }) => {
  assertMutation(req);
  const principal = requireSession(req, Role.reviewer);
  const decision = await readJson(req, resolveBody);
  const { checkpoint, run } = await getRuntime().engine.resolveCheckpoint(id, decision, actorOf(principal), {
    userId: principal.user.id,
    role: principal.user.role,
  });
  // the decision is committed (synchronous=FULL) before this response is sent
  return Response.json({ checkpoint: checkpointDto(checkpoint), run: runDto(run) } satisfies DecisionResponse);
});
