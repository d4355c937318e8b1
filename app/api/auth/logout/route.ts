import { route } from "@/lib/api/http";
import type { OkResponse } from "@/lib/api/types";
import { assertMutation, isSecureRequest, requireUser } from "@/lib/auth/guard";
import { deleteSession, sessionCookie } from "@/lib/auth/sessions";
import { getRealtime } from "@/lib/realtime/hub";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

export const POST = route(async (req) => {
  assertMutation(req);
  const principal = requireUser(req, Role.reviewer);
  deleteSession(getRuntime().db, principal.sessionToken);
  // a session that ended must not keep receiving live updates
  getRealtime()?.disconnectSession(principal.sessionToken);
  return Response.json({ ok: true } satisfies OkResponse, {
    headers: { "Set-Cookie": sessionCookie("", 0, isSecureRequest(req)) },
  });
});
