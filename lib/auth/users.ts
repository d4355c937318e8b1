import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { count, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type User, users } from "@/db/schema";
import type { UserDto } from "@/lib/api/types";
import { AppError } from "@/lib/errors";
import type { Logger } from "@/lib/logger";
import { Role } from "@/lib/roles";
import { hashPassword } from "./password";

export function toUserDto(user: User): UserDto {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export async function createUser(
  db: Db,
  input: { email: string; name?: string; role: Role; password: string },
): Promise<User> {
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  const existing = db.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  if (existing) throw new AppError("conflict", `A user with email ${email} already exists`);
  const user: User = {
    id: randomUUID(),
    email,
    name: input.name?.trim() || email.split("@")[0],
    role: input.role,
    passwordHash,
    disabledAt: null,
    createdAt: Date.now(),
  };
  db.insert(users).values(user).run();
  return user;
}

export function findUserByEmail(db: Db, email: string): User | undefined {
  return db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).get();
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
  const row = db.select({ n: count() }).from(users).get();
  if ((row?.n ?? 0) > 0) return;
  const email = env.ADMIN_EMAIL ?? "admin@localhost";
  const generated = !env.ADMIN_PASSWORD;
  const password = env.ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
  await createUser(db, { email, name: "Admin", role: Role.admin, password });
  if (generated) {
    // printed once, on purpose: there is no other way to learn it
    log.warn({ email }, `First admin created: sign in as ${email} with password ${password}`);
  } else {
    log.info({ email }, "First admin created from ADMIN_EMAIL/ADMIN_PASSWORD");
  }
}
