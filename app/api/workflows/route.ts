import { listRuns } from "@/db/queries";
import { readCursor, toPage } from "@/lib/api/cursor";
import { readHeader, readJson, readQuery, route } from "@/lib/api/http";
import { idempotencyKeyHeader, runListQuery, startRunBody } from "@/lib/api/schemas";
import { runDto, runSummaryDto } from "@/lib/api/serialize";
import type { Page, RunResponse, RunSummaryDto } from "@/lib/api/types";
import { actorOf } from "@/lib/auth/authenticate";
import { assertMutation, ownRunsOnly, requireSessionOrToken } from "@/lib/auth/guard";
import { INBOX_WORKFLOW } from "@/lib/engine/workflows/inbox";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";
import { RUN_SCOPES, TokenScope } from "@/lib/scopes";

export const GET = route((req) => {
  // runs:read lists every run; runs:write alone lists the runs this token started
  const principal = requireSessionOrToken(req, Role.reviewer, RUN_SCOPES);
  const { limit, cursor, ...filter } = readQuery(req, runListQuery);
  const page = listRuns(
    getRuntime().db,
    // an inbox checkpoint is a run of the inbox workflow: those are listed only when asked for
    { ...filter, createdByTokenId: ownRunsOnly(principal), exceptWorkflows: [INBOX_WORKFLOW] },
    { limit, after: readCursor(cursor) },
  );
  return Response.json(toPage(page, runSummaryDto) satisfies Page<RunSummaryDto>);
});

export const POST = route(async (req) => {
  assertMutation(req);
  const principal = requireSessionOrToken(req, Role.reviewer, TokenScope.runsWrite);
  const body = await readJson(req, startRunBody);
  const idempotencyKey = readHeader(req, "Idempotency-Key", idempotencyKeyHeader);
  const { run, created } = await getRuntime().engine.startRun({
    workflowId: body.workflow,
    input: body.input,
    requestKey: idempotencyKey,
    actor: actorOf(principal),
  });
  return Response.json({ run: runDto(run) } satisfies RunResponse, {
    status: created ? 201 : 200,
    headers: created ? {} : { "Idempotent-Replayed": "true" },
  });
});
