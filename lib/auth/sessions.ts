import "server-only";
import {
  deleteExpiredSessions,
  deleteSession,
  findSessionUser,
  insertSession,
  type SessionUser,
} from "@/db/auth-queries";
import type { Db } from "@/db/client";
import type { Logger } from "@/lib/logger";
import { getRealtime } from "@/lib/realtime/hub";
import { hashSecret, newSecret } from "./secrets";

/**
 * Sessions live in the database. The browser holds a random secret (the
 * cookie value); the row's id is its hash, which is also how the socket layer
 * and logout name a session.
 */

export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Live sessions per user: signing in once more ends the oldest beyond this. */
export const MAX_SESSIONS_PER_USER = 20;
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

export function sessionIdOf(cookieValue: string): string {
  return hashSecret(cookieValue);
}

/**
 * A new session for `userId`. Expired sessions are deleted on the way, and
 * the user's oldest sessions beyond MAX_SESSIONS_PER_USER end (with their sockets).
 */
export function createSession(db: Db, userId: string): { token: string; expiresAt: number } {
  const token = newSecret();
  const createdAt = Date.now();
  const expiresAt = createdAt + SESSION_TTL_MS;
  const ended = insertSession(
    db,
    { id: sessionIdOf(token), userId, createdAt, expiresAt },
    { now: createdAt, perUser: MAX_SESSIONS_PER_USER },
  );
  for (const sessionId of ended) getRealtime()?.disconnectSession(sessionId);
  return { token, expiresAt };
}

/** The user of a live session of an enabled account, by the session's id; otherwise undefined. */
export function sessionUser(db: Db, sessionId: string): SessionUser | undefined {
  return findSessionUser(db, sessionId, Date.now());
}

export function endSession(db: Db, sessionId: string): void {
  deleteSession(db, sessionId);
}

/** Deletes expired sessions now and then every hour (the timer never keeps the process alive). Returns a stop. */
export function sweepExpiredSessions(db: Db, log: Logger): () => void {
  const sweep = () => {
    try {
      const deleted = deleteExpiredSessions(db, Date.now());
      if (deleted > 0) log.info({ deleted }, "expired sessions deleted");
    } catch (err) {
      log.error({ err }, "could not delete expired sessions");
    }
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
