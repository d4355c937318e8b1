import { getCheckpoint } from "@/db/queries";
import { readQuery, route } from "@/lib/api/http";
import { decisionQuery } from "@/lib/api/schemas";
import type { DecisionPollResponse } from "@/lib/api/types";
import { requireSessionOrToken } from "@/lib/auth/guard";
import { assertMayReadCheckpoint } from "@/lib/inbox/access";
import { decisionOf } from "@/lib/inbox/decision";
import { decisionWaiters } from "@/lib/inbox/waiters";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";
import { TokenScope } from "@/lib/scopes";
import { CheckpointStatus } from "@/lib/status";

export const dynamic = "force-dynamic";

/**
 * The decision, as soon as there is one (SPEC §9): with `wait=S` a pending
 * checkpoint holds the request up to S seconds and answers within a moment of
 * the decision's commit; otherwise it answers `pending` with no decision.
 */
export const GET = route<{ id: string }>(async (req, { id }) => {
  const principal = requireSessionOrToken(req, Role.reviewer, TokenScope.checkpointsWrite);
  const { wait } = readQuery(req, decisionQuery);
  const { db } = getRuntime();
  let checkpoint = assertMayReadCheckpoint(principal, getCheckpoint(db, id), id);
  if (checkpoint.status === CheckpointStatus.pending && wait > 0) {
    await decisionWaiters().wait(id, wait * 1000, req.signal);
    checkpoint = getCheckpoint(db, id) ?? checkpoint;
  }
  return Response.json({
    id: checkpoint.id,
    status: checkpoint.status,
    decision: decisionOf(checkpoint),
  } satisfies DecisionPollResponse);
});
