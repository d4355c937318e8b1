import "server-only";
import { deleteSession, findSessionUser, insertSession, type SessionUser } from "@/db/auth-queries";
import type { Db } from "@/db/client";
import { hashSecret, newSecret } from "./secrets";

/**
 * Sessions live in the database. The browser holds a random secret (the
 * cookie value); the row's id is its hash, which is also how the socket layer
 * and logout name a session.
 */

export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function sessionIdOf(cookieValue: string): string {
  return hashSecret(cookieValue);
}

export function createSession(db: Db, userId: string): { token: string; expiresAt: number } {
  const token = newSecret();
  const createdAt = Date.now();
  const expiresAt = createdAt + SESSION_TTL_MS;
  insertSession(db, { id: sessionIdOf(token), userId, createdAt, expiresAt });
  return { token, expiresAt };
}

/** The user of a live session of an enabled account, by the session's id; otherwise undefined. */
export function sessionUser(db: Db, sessionId: string): SessionUser | undefined {
  return findSessionUser(db, sessionId, Date.now());
}

export function endSession(db: Db, sessionId: string): void {
  deleteSession(db, sessionId);
}
