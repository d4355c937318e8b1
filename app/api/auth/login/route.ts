import { NextResponse } from "next/server";
import { readJson, route } from "@/lib/api/http";
import { loginBody } from "@/lib/api/schemas";
import type { UserResponse } from "@/lib/api/types";
import { setSessionCookie } from "@/lib/auth/cookies";
import { assertMutation } from "@/lib/auth/guard";
import { addressKey } from "@/lib/auth/rate-limit";
import { createSession, SESSION_TTL_MS } from "@/lib/auth/sessions";
import { checkCredentials, normalizeEmail, toUserDto } from "@/lib/auth/users";
import { AppError } from "@/lib/errors";
import { getRuntime } from "@/lib/runtime";

export const POST = route(async (req) => {
  assertMutation(req);
  const body = await readJson(req, loginBody);
  const { db, signInLimits, log } = getRuntime();
  const account = normalizeEmail(body.email);
  // set by server.ts from the socket (or a trusted proxy), so a client cannot pick its own address
  const address = addressKey(req.headers.get("x-gatehouse-client-ip") ?? "unknown");

  // in the same tick as the limit check, before the slow password check: parallel guesses cannot slip past
  signInLimits.admit(account, address);
  const user = await checkCredentials(db, account, body.password, log);
  if (!user) {
    log.info({ account, address }, "sign-in failed");
    throw new AppError("invalid_credentials", "Email or password is wrong");
  }

  signInLimits.succeeded(account, address);
  const session = createSession(db, user.id);
  log.info({ userId: user.id }, "signed in");
  const res = NextResponse.json({ user: toUserDto(user) } satisfies UserResponse);
  setSessionCookie(res, session.token, { maxAgeSeconds: SESSION_TTL_MS / 1000 });
  return res;
});
