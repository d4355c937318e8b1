import { NextResponse } from "next/server";
import { route } from "@/lib/api/http";
import type { OkResponse } from "@/lib/api/types";
import { clearSessionCookie } from "@/lib/auth/cookies";
import { assertMutation, requireSession } from "@/lib/auth/guard";
import { endSession } from "@/lib/auth/sessions";
import { getRealtime } from "@/lib/realtime/hub";
import { Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";

export const POST = route(async (req) => {
  assertMutation(req);
  const { sessionId } = requireSession(req, Role.reviewer);
  endSession(getRuntime().db, sessionId);
  // a session that ended must not keep receiving live updates
  getRealtime()?.disconnectSession(sessionId);
  const res = NextResponse.json({ ok: true } satisfies OkResponse);
  clearSessionCookie(res);
  return res;
});
