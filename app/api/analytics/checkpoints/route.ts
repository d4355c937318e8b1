import { checkpointAnalytics } from "@/lib/analytics/checkpoint-analytics";
import { readQuery, route } from "@/lib/api/http";
import { analyticsQuery } from "@/lib/api/schemas";
import type { AnalyticsDto } from "@/lib/api/types";
import { requireSession } from "@/lib/auth/guard";
import { AppError, invalidField } from "@/lib/errors";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

/** Decision counts, rates and times per step, reviewer and day (SPEC §11); from the checkpoint_stats rollup. */
export const GET = route((req) => {
  requireSession(req, Role.admin);
  const filter = readQuery(req, analyticsQuery);
  if (filter.from && filter.to && filter.from > filter.to) {
    throw new AppError("invalid_input", "`from` is after `to`", invalidField("from", "Must not be after `to`"));
  }
  return Response.json(checkpointAnalytics(getRuntime().db, filter) satisfies AnalyticsDto, {
    headers: { "Cache-Control": "no-store" },
  });
});
