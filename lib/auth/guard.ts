import "server-only";
import { AppError } from "@/lib/errors";
import { hasRole, type Role } from "@/lib/roles";
import { authenticate, type Principal, type UserPrincipal } from "./authenticate";
import { originAllowed } from "./origin";

/**
 * Every route handler checks who may call it itself (never middleware alone),
 * with the guard whose name says what it lets in.
 */

/** People only: a live session whose user holds `role`. API tokens get 403. */
export function requireSession(req: Request, role: Role): UserPrincipal {
  const principal = authenticate(req.headers);
  if (!principal) throw new AppError("unauthorized", "Sign in first");
  if (principal.kind === "token") throw new AppError("forbidden", "API tokens cannot use this endpoint");
  if (!hasRole(principal.user.role, role)) throw new AppError("forbidden", `This needs the ${role} role`);
  return principal;
}

/** A session whose user holds `role`, or any valid API token (they start runs and read results). */
export function requireSessionOrToken(req: Request, role: Role): Principal {
  const principal = authenticate(req.headers);
  if (!principal) throw new AppError("unauthorized", "Sign in first");
  if (principal.kind === "user" && !hasRole(principal.user.role, role)) {
    throw new AppError("forbidden", `This needs the ${role} role`);
  }
  return principal;
}

/**
 * Route handlers have no CSRF protection of their own: a mutation must come
 * from our own origin (or be a bearer-token client) and be JSON.
 */
export function assertMutation(req: Request): void {
  if (!originAllowed(req.headers)) {
    throw new AppError("cross_origin", "Cross-origin or origin-less requests cannot change anything");
  }
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the body as Content-Type: application/json");
  }
}
