import "server-only";
import { apiTokenIsActive, type SessionUser } from "@/db/auth-queries";
import type { Db } from "@/db/client";
import type { Actor } from "@/lib/events";
import { getRuntime } from "@/lib/runtime";
import { readSessionCookie } from "./cookies";
import { sessionIdOf, sessionUser } from "./sessions";
import { apiTokenForSecret, type TokenIdentity } from "./tokens";

/** Who is making a request or holding a socket: a person with a session, or an API client with a token. */
export type Principal =
  | { kind: "user"; user: SessionUser; sessionId: string }
  | { kind: "token"; token: TokenIdentity };
export type UserPrincipal = Extract<Principal, { kind: "user" }>;

/** The secret of `Authorization: Bearer <secret>`, if the header is there and not empty. */
export function bearerToken(headers: Headers): string | undefined {
  const header = headers.get("authorization");
  return header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() || undefined : undefined;
}

/**
 * The one identity check, for route handlers and the socket handshake alike:
 * a bearer token when one is sent (then never the cookie), otherwise the
 * session cookie. Anything unknown, expired, revoked, disabled or malformed is
 * undefined ("not signed in"), never a throw.
 */
export function authenticate(headers: Headers, db: Db = getRuntime().db): Principal | undefined {
  const secret = bearerToken(headers);
  if (secret !== undefined) {
    const token = apiTokenForSecret(db, secret);
    return token ? { kind: "token", token } : undefined;
  }
  const cookie = readSessionCookie(headers);
  if (!cookie) return undefined;
  const sessionId = sessionIdOf(cookie);
  const user = sessionUser(db, sessionId);
  return user ? { kind: "user", user, sessionId } : undefined;
}

/** Whether a principal found earlier still holds (a long-lived socket asks now and then). */
export function stillAuthenticated(principal: Principal, db: Db): boolean {
  return principal.kind === "user"
    ? sessionUser(db, principal.sessionId)?.id === principal.user.id
    : apiTokenIsActive(db, principal.token.id);
}

/** How a principal appears in the audit log. */
export function actorOf(principal: Principal): Actor {
  return principal.kind === "user"
    ? { type: "user", id: principal.user.id, name: principal.user.name }
    : { type: "token", id: principal.token.id, name: `token:${principal.token.name}` };
}
