import "server-only";
import type { WorkflowRun } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { hasRole, type Role } from "@/lib/roles";
import { TokenScope } from "@/lib/scopes";
import { authenticate, type Principal, type UserPrincipal } from "./authenticate";
import { originAllowed } from "./origin";

/**
 * Every route handler checks who may call it itself (never middleware alone),
 * with the guard whose name says what it lets in. Unknown, revoked or expired
 * credentials are 401; a known caller without the role or scope is 403.
 */

/** People only: a live session whose user holds `role`. API tokens get 403. */
export function requireSession(req: Request, role: Role): UserPrincipal {
  const principal = authenticate(req.headers);
  if (!principal) throw new AppError("unauthorized", "Sign in first");
  if (principal.kind === "token") throw new AppError("forbidden", "API tokens cannot use this endpoint");
  if (!hasRole(principal.user.role, role)) throw new AppError("forbidden", `This needs the ${role} role`);
  return principal;
}

/**
 * A session whose user holds `role`, or a live API token holding `scope` (or
 * one of `scope`, given a list). A token without it gets 403 naming the scope.
 */
export function requireSessionOrToken(req: Request, role: Role, scope: TokenScope | readonly TokenScope[]): Principal {
  const principal = authenticate(req.headers);
  if (!principal) throw new AppError("unauthorized", "Sign in first");
  if (principal.kind === "user") {
    if (!hasRole(principal.user.role, role)) throw new AppError("forbidden", `This needs the ${role} role`);
    return principal;
  }
  const accepted: readonly TokenScope[] = typeof scope === "string" ? [scope] : scope;
  if (!accepted.some((s) => principal.token.scopes.includes(s))) {
    throw new AppError("forbidden", `This API token needs the ${accepted.join(" or ")} scope`, {
      requiredScopes: accepted,
    });
  }
  return principal;
}

type RunOwner = Pick<WorkflowRun, "createdByTokenId">;

/** The token whose runs alone a principal may see, or undefined when it may see every run (people, runs:read). */
export function ownRunsOnly(principal: Principal): string | undefined {
  if (principal.kind === "user" || principal.token.scopes.includes(TokenScope.runsRead)) return undefined;
  return principal.token.id;
}

/** Whether the principal may read a run. Route handlers answer 404 when not: a runs:write token does not learn that other runs exist. */
export function mayReadRun(principal: Principal, run: RunOwner): boolean {
  const onlyOf = ownRunsOnly(principal);
  return onlyOf === undefined || run.createdByTokenId === onlyOf;
}

/**
 * Changing a run (cancel): any reviewer, but a token only the runs it started
 * (another run it may read, with runs:read, is 403; one it may not see, 404).
 */
export function assertMayChangeRun(principal: Principal, runId: string, run: RunOwner | undefined): void {
  if (!run || !mayReadRun(principal, run)) throw new AppError("not_found", `Run ${runId} not found`);
  if (principal.kind === "token" && run.createdByTokenId !== principal.token.id) {
    throw new AppError("forbidden", "An API token may change only the runs it started", {
      requiredScopes: [TokenScope.runsWrite],
    });
  }
}

/**
 * Route handlers have no CSRF protection of their own: a mutation must come
 * from our own origin (or be a bearer-token client) and be JSON.
 */
export function assertMutation(req: Request): void {
  assertSameOrigin(req);
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the body as Content-Type: application/json");
  }
}

/** For mutations without a body (DELETE): the origin check alone. */
export function assertSameOrigin(req: Request): void {
  if (!originAllowed(req.headers)) {
    throw new AppError("cross_origin", "Cross-origin or origin-less requests cannot change anything");
  }
}
