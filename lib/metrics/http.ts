import "server-only";
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { logger } from "@/lib/logger";
import { getRuntime } from "@/lib/runtime";
import { gatehouseMetrics } from "./registry";

/** Labels for what matched no route, and for any method outside the standard ones. */
const UNMATCHED = "unmatched";
const OTHER_METHOD = "other";
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

type RouteTable = {
  staticRoutes: Set<string>;
  dynamicRoutes: { label: string; pattern: RegExp }[];
};

/** `/api/workflows/[id]` → `/api/workflows/:id`, `/api/[...path]` → `/api/:path*`. */
export function routeLabelOf(page: string): string {
  return page.replace(/\[\[?\.\.\.([^\]]+)\]\]?/g, ":$1*").replace(/\[([^\]]+)\]/g, ":$1");
}

/**
 * The app's routes, from the build's routes manifest (the table Next itself
 * routes with: static pages and API routes, then dynamic ones most specific
 * first). Undefined in development, where routes are compiled on demand (and
 * a manifest left by an earlier build may be stale).
 */
function loadRouteTable(): RouteTable | undefined {
  if (getRuntime().env.NODE_ENV === "development") return undefined;
  const file = path.join(process.cwd(), ".next", "routes-manifest.json");
  try {
    const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as {
      staticRoutes: { page: string }[];
      dynamicRoutes: { page: string; regex: string }[];
    };
    return {
      staticRoutes: new Set(manifest.staticRoutes.map((r) => r.page)),
      dynamicRoutes: manifest.dynamicRoutes.map((r) => ({ label: routeLabelOf(r.page), pattern: new RegExp(r.regex) })),
    };
  } catch (err) {
    logger.warn({ err, file }, "no routes manifest: HTTP metrics label routes by a rougher rule (ids by shape)");
    return undefined;
  }
}

let routeTable: RouteTable | undefined | null = null;

/**
 * A low-cardinality label for a request path: the route pattern it matched
 * (`/api/workflows/:id`, `/review/:id`), one label per kind of Next asset,
 * and `unmatched` for everything else (scanners' guesses never add series).
 */
function routeLabel(url: string | undefined, statusCode: number): string {
  const pathname = (url ?? "/").split("?")[0].split("#")[0];
  if (pathname.startsWith("/_next/")) {
    if (pathname.startsWith("/_next/static/")) return "/_next/static";
    if (pathname.startsWith("/_next/image")) return "/_next/image";
    return "/_next";
  }
  if (routeTable === null) routeTable = loadRouteTable();
  if (!routeTable) return statusCode === 404 ? UNMATCHED : roughRouteLabel(pathname);
  const trimmed = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  if (routeTable.staticRoutes.has(trimmed)) return trimmed;
  return routeTable.dynamicRoutes.find((r) => r.pattern.test(pathname))?.label ?? UNMATCHED;
}

/** Without a manifest (development): segments that look like ids (digits, or long) become `:id`, at most 4 deep. */
function roughRouteLabel(pathname: string): string {
  const segments = pathname.split("/").filter(Boolean).slice(0, 4);
  return `/${segments.map((s) => (/\d/.test(s) || s.length > 24 ? ":id" : s)).join("/")}`;
}

/** Times one request, from arrival until its response is handed to the OS ('finish'). */
export function timeHttpRequest(req: IncomingMessage, res: ServerResponse): void {
  const startedAt = process.hrtime.bigint();
  const { url, method } = req;
  res.once("finish", () => {
    try {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      gatehouseMetrics().httpSeconds.observe(
        {
          method: method && METHODS.has(method) ? method : OTHER_METHOD,
          route: routeLabel(url, res.statusCode),
          status_code: String(res.statusCode),
        },
        seconds,
      );
    } catch (err) {
      logger.error({ err, url }, "could not record an HTTP request metric");
    }
  });
}
