import { databaseIsHealthy } from "@/db/queries";
import { route } from "@/lib/api/http";
import type { HealthResponse } from "@/lib/api/types";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

export const GET = route(() => {
  const db = databaseIsHealthy(getRuntime().db);
  return Response.json({ ok: db, db } satisfies HealthResponse, { status: db ? 200 : 503 });
});
