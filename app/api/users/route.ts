import { readJson, readQuery, route } from "@/lib/api/http";
import { createUserBody, userListQuery } from "@/lib/api/schemas";
import type { ManagedUserDto, ManagedUserResponse, Page } from "@/lib/api/types";
import { adminActorOf } from "@/lib/auth/admin-events";
import { assertMutation, requireSession } from "@/lib/auth/guard";
import { createUser, toManagedUserDto, usersPage } from "@/lib/auth/users";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

export const GET = route((req) => {
  requireSession(req, Role.admin);
  return Response.json(usersPage(getRuntime().db, readQuery(req, userListQuery)) satisfies Page<ManagedUserDto>);
});

export const POST = route(async (req) => {
  assertMutation(req);
  const admin = requireSession(req, Role.admin);
  const body = await readJson(req, createUserBody);
  const { db, log } = getRuntime();
  const user = await createUser(db, body, adminActorOf(admin));
  log.info({ userId: user.id, role: user.role, by: admin.user.id }, "user created");
  return Response.json({ user: toManagedUserDto(user) } satisfies ManagedUserResponse, { status: 201 });
});
