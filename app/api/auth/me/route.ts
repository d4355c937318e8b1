import { route } from "@/lib/api/http";
import { requireUser } from "@/lib/auth/guard";
import { toPublicUser } from "@/lib/auth/users";
import { Role } from "@/lib/roles";

export const GET = route((req) => {
  const { user } = requireUser(req, Role.reviewer);
  return Response.json({ user: toPublicUser(user) });
});
