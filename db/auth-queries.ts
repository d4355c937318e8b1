import "server-only";
import { and, asc, count, desc, eq, gt, inArray, isNull, lt, lte, ne, or } from "drizzle-orm";
import { ROLES } from "@/lib/roles";
import { insertAdminEvent, type NewAdminEvent } from "./admin-event-queries";
import type { Db } from "./client";
import { afterCursor, type Keyset, keysetPage, type PageRequest } from "./keyset";
import { type ApiToken, apiTokens, type Session, sessions, type User, users } from "./schema";

/**
 * The database door for people and credentials: users, sessions, API tokens.
 * lib/auth holds the rules (hashing, expiry, who may change whom); this file
 * only reads and writes rows. An admin change carries its audit record
 * (admin_events), written in the same transaction as the change.
 */

/** What a signed-in request knows about its user: never the password hash. */
export type SessionUser = Pick<User, "id" | "email" | "name" | "role">;
type NewUser = typeof users.$inferInsert;
type UserChanges = Partial<Pick<User, "name" | "role" | "passwordHash" | "disabledAt">>;

// users

export function findUserById(db: Db, id: string): User | undefined {
  return db.select().from(users).where(eq(users.id, id)).get();
}

/** `email` as stored: trimmed and lower-cased. */
export function findUserByEmail(db: Db, email: string): User | undefined {
  return db.select().from(users).where(eq(users.email, email)).get();
}

export function countUsers(db: Db): number {
  return db.select({ n: count() }).from(users).get()?.n ?? 0;
}

/** Adds a user and, in the same transaction, the audit record of who added them. */
export function insertUser(db: Db, user: NewUser, audit: NewAdminEvent): User {
  return db.transaction(
    (tx) => {
      const row = tx.insert(users).values(user).returning().get();
      insertAdminEvent(tx, audit);
      return row;
    },
    { behavior: "immediate" },
  );
}

/** Users, oldest first, one keyset page. */
export function listUsers(db: Db, page: PageRequest): Keyset<User> {
  const rows = db
    .select()
    .from(users)
    .where(afterCursor(users, page.after, false))
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(page.limit + 1)
    .all();
  return keysetPage(rows, page.limit);
}

/**
 * Changes a user and, when asked, ends their sessions (all, or all but one) in
 * the same transaction, so no request can slip in between with an old session.
 * `audit` says, from the row before and after, what to record (in the same
 * transaction, so the record describes exactly the change that committed).
 * Returns the changed row, or undefined for an unknown id.
 */
export function updateUser(
  db: Db,
  id: string,
  changes: UserChanges,
  options: { endSessions?: false | { except?: string }; audit: (before: User, after: User) => NewAdminEvent[] },
): User | undefined {
  const endSessions = options.endSessions ?? false;
  return db.transaction(
    (tx) => {
      const before = tx.select().from(users).where(eq(users.id, id)).get();
      if (!before) return undefined;
      const user = tx.update(users).set(changes).where(eq(users.id, id)).returning().get();
      if (!user) return undefined;
      for (const event of options.audit(before, user)) insertAdminEvent(tx, event);
      if (endSessions) {
        const keep = endSessions.except;
        tx.delete(sessions)
          .where(and(eq(sessions.userId, id), keep ? ne(sessions.id, keep) : undefined))
          .run();
      }
      return user;
    },
    { behavior: "immediate" },
  );
}

// sessions (ids are hashes of the cookie value: see lib/auth/sessions.ts)

/**
 * Adds a session and, in the same transaction, deletes every expired session
 * and ends the user's oldest live sessions beyond `perUser` (the new one
 * counts). Returns the ids of the live sessions it ended (their sockets must drop).
 */
export function insertSession(db: Db, session: Session, limits: { now: number; perUser: number }): string[] {
  return db.transaction(
    (tx) => {
      tx.delete(sessions).where(lte(sessions.expiresAt, limits.now)).run();
      tx.insert(sessions).values(session).run();
      // bounded: the cap keeps each user at `perUser` rows, so this reads at most perUser of them
      const others = tx
        .select({ id: sessions.id })
        .from(sessions)
        .where(and(eq(sessions.userId, session.userId), ne(sessions.id, session.id)))
        .orderBy(desc(sessions.createdAt), desc(sessions.id))
        .all();
      const ended = others.slice(Math.max(limits.perUser - 1, 0)).map((row) => row.id);
      if (ended.length > 0) tx.delete(sessions).where(inArray(sessions.id, ended)).run();
      return ended;
    },
    { behavior: "immediate" },
  );
}

/** Deletes sessions that expired at or before `now`; returns how many. */
export function deleteExpiredSessions(db: Db, now: number): number {
  return db.delete(sessions).where(lte(sessions.expiresAt, now)).run().changes;
}

/**
 * The user of a live session (not expired at `now`) whose account is enabled
 * and holds a role Gatehouse knows: a row with any other role is no session.
 */
export function findSessionUser(db: Db, sessionId: string, now: number): SessionUser | undefined {
  return db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, sessionId),
        gt(sessions.expiresAt, now),
        isNull(users.disabledAt),
        inArray(users.role, [...ROLES]),
      ),
    )
    .get();
}

export function deleteSession(db: Db, sessionId: string): void {
  db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

/**
 * Replaces a password hash with a stronger one of the same password (at
 * sign-in), only if it is still the hash that was checked: a password changed
 * in the meantime is never overwritten. Returns whether it replaced it.
 */
export function upgradePasswordHash(db: Db, userId: string, checked: string, upgraded: string): boolean {
  const result = db
    .update(users)
    .set({ passwordHash: upgraded })
    .where(and(eq(users.id, userId), eq(users.passwordHash, checked)))
    .run();
  return result.changes > 0;
}

// API tokens (stored as hashes of the secret: see lib/auth/tokens.ts)

/** What a request authenticated by a token knows about it. */
export type ActiveApiToken = Pick<ApiToken, "id" | "name" | "scopes" | "lastUsedAt">;
type NewApiToken = Pick<ApiToken, "id" | "name" | "tokenHash" | "scopes" | "signingSecret" | "createdBy" | "createdAt">;

/** Adds a token and, in the same transaction, the audit record of its creation. */
export function insertApiToken(db: Db, token: NewApiToken, audit: NewAdminEvent): ApiToken {
  return db.transaction(
    (tx) => {
      const row = tx.insert(apiTokens).values(token).returning().get();
      insertAdminEvent(tx, audit);
      return row;
    },
    { behavior: "immediate" },
  );
}

export function findActiveApiTokenByHash(db: Db, tokenHash: string): ActiveApiToken | undefined {
  return db
    .select({ id: apiTokens.id, name: apiTokens.name, scopes: apiTokens.scopes, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)))
    .get();
}

export function apiTokenIsActive(db: Db, id: string): boolean {
  return (
    db
      .select({ id: apiTokens.id })
      .from(apiTokens)
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .get() !== undefined
  );
}

/** Records a use at `now` unless one at or after `staleBefore` is already recorded (one write a minute, not per request). */
export function touchApiToken(db: Db, id: string, now: number, staleBefore: number): void {
  db.update(apiTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, staleBefore))))
    .run();
}

/** Tokens, oldest first, one keyset page. */
export function listApiTokens(db: Db, page: PageRequest): Keyset<ApiToken> {
  const rows = db
    .select()
    .from(apiTokens)
    .where(afterCursor(apiTokens, page.after, false))
    .orderBy(asc(apiTokens.createdAt), asc(apiTokens.id))
    .limit(page.limit + 1)
    .all();
  return keysetPage(rows, page.limit);
}

/**
 * Revokes a token (a second revoke keeps the first time, and records nothing);
 * the audit record of the revoke commits with it. Undefined for an unknown id.
 */
export function revokeApiToken(
  db: Db,
  id: string,
  now: number,
  audit: (token: ApiToken) => NewAdminEvent,
): ApiToken | undefined {
  return db.transaction(
    (tx) => {
      const revoked = tx
        .update(apiTokens)
        .set({ revokedAt: now })
        .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
        .returning()
        .get();
      if (revoked) insertAdminEvent(tx, audit(revoked));
      return revoked ?? tx.select().from(apiTokens).where(eq(apiTokens.id, id)).get();
    },
    { behavior: "immediate" },
  );
}
