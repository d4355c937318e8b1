import "server-only";
import type { User } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/events";
import { hasRole, type Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";
import { apiTokenFor, readCookie, SESSION_COOKIE, userForSession } from "./sessions";

export type Principal =
  | { kind: "user"; user: User; sessionToken: string }
  | { kind: "token"; token: { id: string; name: string } };

function bearer(req: Request): string | undefined {
  const header = req.headers.get("authorization");
  return header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : undefined;
}

export function authenticate(req: Request): Principal | undefined {
  const { db } = getRuntime();
  const token = bearer(req);
  if (token) {
    const apiToken = apiTokenFor(db, token);
    return apiToken ? { kind: "token", token: apiToken } : undefined;
  }
  const sessionToken = readCookie(req.headers.get("cookie"), SESSION_COOKIE);
  if (!sessionToken) return undefined;
  const user = userForSession(db, sessionToken);
  return user ? { kind: "user", user, sessionToken } : undefined;
}

/**
 * Every route handler calls this itself (never middleware alone). API tokens
 * are accepted only where `allowToken` says so: they start runs and read results.
 */
export function requireRole(req: Request, role: Role, options: { allowToken?: boolean } = {}): Principal {
  const principal = authenticate(req);
  if (!principal) throw new AppError("unauthorized", "Sign in first");
  if (principal.kind === "token") {
    if (!options.allowToken) throw new AppError("forbidden", "API tokens cannot use this endpoint");
    return principal;
  }
  if (!hasRole(principal.user.role as Role, role)) throw new AppError("forbidden", `This needs the ${role} role`);
  return principal;
}

export function requireUser(req: Request, role: Role): Extract<Principal, { kind: "user" }> {
  return requireRole(req, role) as Extract<Principal, { kind: "user" }>;
}

export function actorOf(principal: Principal): Actor {
  return principal.kind === "user"
    ? { type: "user", id: principal.user.id, name: principal.user.name }
    : { type: "token", id: principal.token.id, name: `token:${principal.token.name}` };
}

function expectedOrigin(req: Request): string {
  const url = new URL(req.url);
  const proto = req.headers.get("x-forwarded-proto")?.split(",")[0].trim() || url.protocol.replace(":", "");
  const host = req.headers.get("x-forwarded-host") || req.headers.get("host") || url.host;
  return `${proto}://${host}`;
}

export function isSecureRequest(req: Request): boolean {
  return expectedOrigin(req).startsWith("https:");
}

/**
 * Route handlers have no CSRF protection of their own: a mutation must be JSON
 * and come from our own origin. Only bearer-token clients, which no browser
 * sends on its own, may omit Origin.
 */
export function assertMutation(req: Request): void {
  const origin = req.headers.get("origin");
  if (origin ? origin !== expectedOrigin(req) : !bearer(req)) {
    throw new AppError("cross_origin", "Cross-origin or origin-less requests cannot change anything");
  }
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the body as Content-Type: application/json");
  }
}
