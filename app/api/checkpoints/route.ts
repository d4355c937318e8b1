import { listCheckpoints } from "@/db/queries";
import { readCursor, toPage } from "@/lib/api/cursor";
import { readHeader, readJson, readQuery, route } from "@/lib/api/http";
import { checkpointListQuery, createCheckpointBody, idempotencyKeyHeader } from "@/lib/api/schemas";
import { checkpointDto, checkpointSummaryDto } from "@/lib/api/serialize";
import type { CheckpointResponse, CheckpointSummaryDto, Page } from "@/lib/api/types";
import { actorOf } from "@/lib/auth/authenticate";
import { assertMutation, requireSession, requireSessionOrToken } from "@/lib/auth/guard";
import { inboxCheckpointOf } from "@/lib/inbox/create";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";
import { TokenScope } from "@/lib/scopes";

export const GET = route((req) => {
  const { user } = requireSession(req, Role.reviewer);
  const { limit, cursor, order, assignee, ...filter } = readQuery(req, checkpointListQuery);
  const assignedTo = assignee === "me" ? { userId: user.id, role: user.role } : undefined;
  const page = listCheckpoints(getRuntime().db, { ...filter, assignedTo }, { limit, order, after: readCursor(cursor) });
  return Response.json(toPage(page, checkpointSummaryDto) satisfies Page<CheckpointSummaryDto>);
});

/**
 * An inbox checkpoint from another service (a token with checkpoints:write) or
 * a reviewer (SPEC §9): 201 with the checkpoint; with an Idempotency-Key the
 * same request again is 200 with the same checkpoint.
 */
export const POST = route(async (req) => {
  assertMutation(req);
  const principal = requireSessionOrToken(req, Role.reviewer, TokenScope.checkpointsWrite);
  const body = await readJson(req, createCheckpointBody);
  const requestKey = readHeader(req, "Idempotency-Key", idempotencyKeyHeader);
  const { env, db, engine } = getRuntime();
  const checkpoint = inboxCheckpointOf(body, { principal, callbackHosts: env.CALLBACK_HOSTS, db });
  const result = await engine.createInboxCheckpoint({ checkpoint, requestKey, actor: actorOf(principal) });
  return Response.json({ checkpoint: checkpointDto(result.checkpoint) } satisfies CheckpointResponse, {
    status: result.created ? 201 : 200,
    headers: result.created ? {} : { "Idempotent-Replayed": "true" },
  });
});
