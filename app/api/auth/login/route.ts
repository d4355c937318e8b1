import { NextResponse } from "next/server";
import { readJson, route } from "@/lib/api/http";
import { loginBody } from "@/lib/api/schemas";
import type { UserResponse } from "@/lib/api/types";
import { setSessionCookie } from "@/lib/auth/cookies";
import { assertMutation } from "@/lib/auth/guard";
import { isSecureRequest } from "@/lib/auth/origin";
import { burnPasswordCheck, verifyPassword } from "@/lib/auth/password";
import { createSession, SESSION_TTL_MS } from "@/lib/auth/sessions";
import { normalizeEmail, toUserDto, userByEmail } from "@/lib/auth/users";
import { AppError } from "@/lib/errors";
import { getRuntime } from "@/lib/runtime";

export const POST = route(async (req) => {
  assertMutation(req);
  const body = await readJson(req, loginBody);
  const { db, loginLimits, log } = getRuntime();
  const account = normalizeEmail(body.email);
  // set by server.ts from the socket, so a client cannot pick its own address
  const address = req.headers.get("x-gatehouse-client-ip") ?? "unknown";

  const wait = Math.max(loginLimits.perAccount.retryAfter(account), loginLimits.perAddress.retryAfter(address));
  if (wait > 0) {
    throw new AppError(
      "rate_limited",
      "Too many failed sign-ins. Try again later.",
      { retryAfterSeconds: wait },
      {
        "Retry-After": String(wait),
      },
    );
  }

  // counted as a failure before the slow password check, in the same tick as the check above:
  // otherwise guesses sent in parallel all pass the check before any of them is counted
  loginLimits.perAccount.fail(account);
  loginLimits.perAddress.fail(address);

  const user = userByEmail(db, account);
  let ok = false;
  if (user && !user.disabledAt) ok = await verifyPassword(body.password, user.passwordHash);
  else await burnPasswordCheck(body.password);
  if (!user || !ok) {
    log.info({ account, address }, "sign-in failed");
    throw new AppError("invalid_credentials", "Email or password is wrong");
  }

  loginLimits.perAccount.clear(account);
  loginLimits.perAddress.forgive(address);
  const session = createSession(db, user.id);
  log.info({ userId: user.id }, "signed in");
  const res = NextResponse.json({ user: toUserDto(user) } satisfies UserResponse);
  setSessionCookie(res, session.token, { maxAgeSeconds: SESSION_TTL_MS / 1000, secure: isSecureRequest(req.headers) });
  return res;
});
