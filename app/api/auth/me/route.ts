import { route } from "@/lib/api/http";
import type { UserResponse } from "@/lib/api/types";
import { requireSession } from "@/lib/auth/guard";
import { toUserDto } from "@/lib/auth/users";
import { Role } from "@/lib/roles";

export const GET = route((req) => {
  const { user } = requireSession(req, Role.reviewer);
  return Response.json({ user: toUserDto(user) } satisfies UserResponse);
});
