import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { type AdminActor, CLI_ACTOR, type NewAdminEvent } from "@/db/admin-event-queries";
import {
  countUsers,
  findUserByEmail,
  findUserById,
  insertUser,
  listUsers,
  type SessionUser,
  updateUser,
  upgradePasswordHash,
} from "@/db/auth-queries";
import type { Db } from "@/db/client";
import type { User } from "@/db/schema";
import { readCursor, toPage } from "@/lib/api/cursor";
import type { CreateUserBody, UpdateUserBody } from "@/lib/api/schemas";
import type { ManagedUserDto, Page, UserDto } from "@/lib/api/types";
import { AppError } from "@/lib/errors";
import { AdminEventType } from "@/lib/events";
import type { Logger } from "@/lib/logger";
import { getRealtime } from "@/lib/realtime/hub";
import { isRole, Role } from "@/lib/roles";
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from "./password";

export function toUserDto(user: SessionUser): UserDto {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export function toManagedUserDto(user: User): ManagedUserDto {
  return {
    ...toUserDto(user),
    disabled: user.disabledAt !== null,
    disabledAt: user.disabledAt === null ? null : new Date(user.disabledAt).toISOString(),
    createdAt: new Date(user.createdAt).toISOString(),
  };
}

/** Emails are matched however they are typed. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function userByEmail(db: Db, email: string): User | undefined {
  return findUserByEmail(db, normalizeEmail(email));
}

/**
 * The user these credentials belong to, or undefined. A disabled account, or
 * one whose role Gatehouse does not know (a tampered row), never signs in; an
 * unknown email costs the same KDF time as a known one. A hash made with other
 * KDF parameters than today's is upgraded now that the password is known.
 */
export async function checkCredentials(
  db: Db,
  email: string,
  password: string,
  log: Logger,
): Promise<User | undefined> {
  const user = userByEmail(db, email);
  if (!user || user.disabledAt !== null || !isRole(user.role)) {
    await burnPasswordCheck(password);
    return undefined;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return undefined;
  if (needsRehash(user.passwordHash)) {
    try {
      const upgraded = await hashPassword(password);
      if (upgradePasswordHash(db, user.id, user.passwordHash, upgraded)) {
        log.info({ userId: user.id }, "password hash upgraded to the current KDF cost");
      }
    } catch (err) {
      // the sign-in itself is fine: the upgrade is tried again at the next one
      log.error({ err, userId: user.id }, "could not upgrade the password hash");
    }
  }
  return user;
}

/** The server itself (the first admin at start): no user, token or CLI did it. */
const SERVER_ACTOR: AdminActor = { actorUserId: null, actorTokenId: null, actorName: "server" };

/** Adds a user; `by` (an admin, the CLI, the server at start) is recorded with it. */
export async function createUser(db: Db, input: CreateUserBody, by: AdminActor): Promise<User> {
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  // checked after the slow hash, in the same tick as the insert: no other sign-up can slip in between
  if (findUserByEmail(db, email)) throw new AppError("conflict", `A user with email ${email} already exists`);
  const id = randomUUID();
  const name = input.name?.trim() || email.split("@")[0];
  return insertUser(
    db,
    { id, email, name, role: input.role, passwordHash, disabledAt: null, createdAt: Date.now() },
    {
      ...by,
      type: AdminEventType.userCreated,
      subjectUserId: id,
      subjectId: id,
      data: { email, name, role: input.role },
    },
  );
}

/**
 * The audit records of one change to a user, from the row before and after:
 * name and role changes (from → to) in one record, then disabled/enabled, then
 * a password reset (never the password or its hash). Nothing for a field set
 * to the value it had.
 */
function userChangeEvents(by: AdminActor, before: User, after: User, passwordReset: boolean): NewAdminEvent[] {
  const about = { ...by, subjectUserId: after.id, subjectId: after.id };
  const events: NewAdminEvent[] = [];
  const changed: Record<string, { from: string; to: string }> = {};
  if (before.name !== after.name) changed.name = { from: before.name, to: after.name };
  if (before.role !== after.role) changed.role = { from: before.role, to: after.role };
  if (Object.keys(changed).length > 0) events.push({ ...about, type: AdminEventType.userChanged, data: changed });
  if (before.disabledAt === null && after.disabledAt !== null) {
    events.push({ ...about, type: AdminEventType.userDisabled, data: { email: after.email } });
  }
  if (before.disabledAt !== null && after.disabledAt === null) {
    events.push({ ...about, type: AdminEventType.userEnabled, data: { email: after.email } });
  }
  if (passwordReset) events.push({ ...about, type: AdminEventType.userPasswordReset, data: { email: after.email } });
  return events;
}

/** A user by id, or 404. */
export function managedUser(db: Db, id: string): User {
  const user = findUserById(db, id);
  if (!user) throw new AppError("not_found", `User ${id} not found`);
  return user;
}

/** A keyset page of users, oldest first. */
export function usersPage(db: Db, query: { limit: number; cursor?: string }): Page<ManagedUserDto> {
  return toPage(listUsers(db, { limit: query.limit, after: readCursor(query.cursor) }), toManagedUserDto);
}

/**
 * An admin changes a user (PATCH /api/users/:id). Disabling or a new password
 * ends the user's sessions in the same transaction and drops their live
 * sockets at once; an admin changing their own password keeps the session they
 * are using. Nobody can disable or demote themselves, so the last admin cannot
 * lock everyone out.
 */
export async function changeUser(
  db: Db,
  by: { userId: string; sessionId: string; actor: AdminActor },
  id: string,
  patch: UpdateUserBody,
): Promise<User> {
  const target = findUserById(db, id);
  if (!target) throw new AppError("not_found", `User ${id} not found`);
  const self = id === by.userId;
  if (self && patch.disabled === true) {
    throw new AppError("self_lockout", "You cannot disable your own account: ask another admin to do it");
  }
  if (self && patch.role !== undefined && patch.role !== Role.admin) {
    throw new AppError("self_lockout", "You cannot remove your own admin role: ask another admin to do it");
  }

  const changes: Parameters<typeof updateUser>[2] = {};
  if (patch.name !== undefined) changes.name = patch.name;
  if (patch.role !== undefined) changes.role = patch.role;
  if (patch.disabled !== undefined) changes.disabledAt = patch.disabled ? (target.disabledAt ?? Date.now()) : null;
  if (patch.password !== undefined) changes.passwordHash = await hashPassword(patch.password);
  const endsSessions = patch.disabled === true || patch.password !== undefined;
  const keepSession = self ? by.sessionId : undefined;

  const user = updateUser(db, id, changes, {
    endSessions: endsSessions && { except: keepSession },
    audit: (before, after) => userChangeEvents(by.actor, before, after, patch.password !== undefined),
  });
  if (!user) throw new AppError("not_found", `User ${id} not found`);
  // after the commit: their sessions are gone, so their sockets must not keep hearing events
  if (endsSessions) getRealtime()?.disconnectUser(id, { exceptSession: keepSession });
  return user;
}

/** The CLI's disable: ends all sessions; sockets in the server process drop at its next session check. */
export function disableUser(db: Db, userId: string): void {
  updateUser(
    db,
    userId,
    { disabledAt: Date.now() },
    {
      endSessions: {},
      audit: (before, after) => userChangeEvents(CLI_ACTOR, before, after, false),
    },
  );
}

/**
 * With an empty database, creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD,
 * or admin@localhost with a random password that is printed once.
 */
export async function bootstrapFirstAdmin(
  db: Db,
  env: { ADMIN_EMAIL?: string; ADMIN_PASSWORD?: string },
  log: Logger,
): Promise<void> {
  if (countUsers(db) > 0) return;
  const email = env.ADMIN_EMAIL ?? "admin@localhost";
  const generated = !env.ADMIN_PASSWORD;
  const password = env.ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
  await createUser(db, { email, name: "Admin", role: Role.admin, password }, SERVER_ACTOR);
  if (generated) {
    // printed once, on purpose: there is no other way to learn it
    log.warn({ email }, `First admin created: sign in as ${email} with password ${password}`);
  } else {
    log.info({ email }, "First admin created from ADMIN_EMAIL/ADMIN_PASSWORD");
  }
}
