import { readJson, route } from "@/lib/api/http";
import { updateUserBody } from "@/lib/api/schemas";
import type { ManagedUserResponse } from "@/lib/api/types";
import { assertMutation, requireSession } from "@/lib/auth/guard";
import { changeUser, toManagedUserDto } from "@/lib/auth/users";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

export const PATCH = route<{ id: string }>(async (req, { id }) => {
  assertMutation(req);
  const admin = requireSession(req, Role.admin);
  const patch = await readJson(req, updateUserBody);
  const { db, log } = getRuntime();
  const user = await changeUser(db, { userId: admin.user.id, sessionId: admin.sessionId }, id, patch);
  log.info({ userId: id, by: admin.user.id, fields: Object.keys(patch) }, "user changed");
  return Response.json({ user: toManagedUserDto(user) } satisfies ManagedUserResponse);
});
