import { route } from "@/lib/api/http";
import type { ApiTokenResponse } from "@/lib/api/types";
import { adminActorOf } from "@/lib/auth/admin-events";
import { assertSameOrigin, requireSession } from "@/lib/auth/guard";
import { revokeToken, toApiTokenDto } from "@/lib/auth/tokens";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

/** Revokes: from now on the token gets 401 and its live sockets are dropped. A second revoke changes nothing. */
export const DELETE = route<{ id: string }>((req, { id }) => {
  assertSameOrigin(req);
  const admin = requireSession(req, Role.admin);
  const { db, log } = getRuntime();
  const token = revokeToken(db, id, adminActorOf(admin));
  log.info({ tokenId: id, by: admin.user.id }, "API token revoked");
  return Response.json({ token: toApiTokenDto(token) } satisfies ApiTokenResponse);
});
