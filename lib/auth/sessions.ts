import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiTokens, sessions, type User, users } from "@/db/schema";
import { SESSION_COOKIE as COOKIE } from "./cookie";

export { SESSION_COOKIE } from "./cookie";
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const TOKEN_PREFIX = "gh_";

/** Secrets are stored only as their sha256: a copied database holds no live credential. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function createSession(db: Db, userId: string): { token: string; expiresAt: number } {
  const token = randomBytes(32).toString("base64url");
  const now = Date.now();
  const expiresAt = now + SESSION_TTL_MS;
  db.insert(sessions)
    .values({ id: hashSecret(token), userId, createdAt: now, expiresAt })
    .run();
  return { token, expiresAt };
}

export function userForSession(db: Db, token: string): User | undefined {
  return userForSessionId(db, hashSecret(token));
}

/** By the stored id (the hash): a live session of an enabled user, or nothing. */
export function userForSessionId(db: Db, sessionId: string): User | undefined {
  const row = db
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, Date.now()), isNull(users.disabledAt)))
    .get();
  return row?.user;
}

/** Disables a user and ends all their sessions (their sockets drop at the next session check). */
export function disableUser(db: Db, userId: string): void {
  db.transaction(
    (tx) => {
      tx.update(users).set({ disabledAt: Date.now() }).where(eq(users.id, userId)).run();
      tx.delete(sessions).where(eq(sessions.userId, userId)).run();
    },
    { behavior: "immediate" },
  );
}

export function deleteSession(db: Db, token: string): void {
  db.delete(sessions)
    .where(eq(sessions.id, hashSecret(token)))
    .run();
}

export function createApiToken(db: Db, name: string, createdBy: string | null): { id: string; token: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const id = randomUUID();
  db.insert(apiTokens)
    .values({ id, name, tokenHash: hashSecret(token), createdBy, createdAt: Date.now() })
    .run();
  return { id, token };
}

export function apiTokenFor(db: Db, token: string): { id: string; name: string } | undefined {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  return db
    .select({ id: apiTokens.id, name: apiTokens.name })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashSecret(token)), isNull(apiTokens.revokedAt)))
    .get();
}

export function apiTokenById(db: Db, id: string): { id: string } | undefined {
  return db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .get();
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  const parts = [`${COOKIE}=${token}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAgeSeconds}`];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

export function readCookie(cookieHeader: string | null | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
