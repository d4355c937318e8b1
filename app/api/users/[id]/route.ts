import { readJson, route } from "@/lib/api/http";
import { updateUserBody } from "@/lib/api/schemas";
import type { ManagedUserResponse } from "@/lib/api/types";
import { adminActorOf } from "@/lib/auth/admin-events";
import { assertMutation, requireSession } from "@/lib/auth/guard";
import { changeUser, managedUser, toManagedUserDto } from "@/lib/auth/users";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

/** One user as the admin console shows them (never the password hash). */
export const GET = route<{ id: string }>((req, { id }) => {
  requireSession(req, Role.admin);
  return Response.json({ user: toManagedUserDto(managedUser(getRuntime().db, id)) } satisfies ManagedUserResponse);
});

export const PATCH = route<{ id: string }>(async (req, { id }) => {
  assertMutation(req);
  const admin = requireSession(req, Role.admin);
  const patch = await readJson(req, updateUserBody);
  const { db, log } = getRuntime();
  const by = { userId: admin.user.id, sessionId: admin.sessionId, actor: adminActorOf(admin) };
  const user = await changeUser(db, by, id, patch);
  log.info({ userId: id, by: admin.user.id, fields: Object.keys(patch) }, "user changed");
  return Response.json({ user: toManagedUserDto(user) } satisfies ManagedUserResponse);
});
