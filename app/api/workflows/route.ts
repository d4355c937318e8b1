import { listRuns } from "@/db/queries";
import { readCursor, toPage } from "@/lib/api/cursor";
import { readJson, readQuery, route } from "@/lib/api/http";
import { idempotencyKeyHeader, runListQuery, startRunBody } from "@/lib/api/schemas";
import { runDto } from "@/lib/api/serialize";
import type { Page, RunDto, RunResponse } from "@/lib/api/types";
import { actorOf, assertMutation, requireRole } from "@/lib/auth/guard";
import { AppError } from "@/lib/errors";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

export const GET = route((req) => {
  requireRole(req, Role.reviewer, { allowToken: true });
  const { limit, cursor, ...filter } = readQuery(req, runListQuery);
  const page = listRuns(getRuntime().db, filter, { limit, after: readCursor(cursor) });
  return Response.json(toPage(page, runDto) satisfies Page<RunDto>);
});

export const POST = route(async (req) => {
  assertMutation(req);
  const principal = requireRole(req, Role.reviewer, { allowToken: true });
  const body = await readJson(req, startRunBody);
  const rawKey = req.headers.get("idempotency-key");
  const key = rawKey === null ? undefined : idempotencyKeyHeader.safeParse(rawKey);
  if (key && !key.success) throw new AppError("invalid_input", "Idempotency-Key must be 1–200 characters");
  const { run, created } = await getRuntime().engine.startRun({
    workflowId: body.workflow,
    input: body.input,
    requestKey: key?.data,
    actor: actorOf(principal),
  });
  return Response.json({ run: runDto(run) } satisfies RunResponse, {
    status: created ? 201 : 200,
    headers: created ? {} : { "Idempotent-Replayed": "true" },
  });
});
