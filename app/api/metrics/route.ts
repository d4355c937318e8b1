import { route } from "@/lib/api/http";
import { requireSessionOrToken } from "@/lib/auth/guard";
import { scrapeMetrics } from "@/lib/metrics/scrape";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";
import { TokenScope } from "@/lib/scopes";

export const dynamic = "force-dynamic";

/** Prometheus text (SPEC §11), for admins and API tokens with metrics:read. */
export const GET = route(async (req) => {
  requireSessionOrToken(req, Role.admin, TokenScope.metricsRead);
  const { contentType, text } = await scrapeMetrics(getRuntime().db);
  return new Response(text, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
});
