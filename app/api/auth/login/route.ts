import { readJson, route } from "@/lib/api/http";
import { loginBody } from "@/lib/api/schemas";
import type { UserResponse } from "@/lib/api/types";
import { assertMutation, isSecureRequest } from "@/lib/auth/guard";
import { burnPasswordCheck, verifyPassword } from "@/lib/auth/password";
import { createSession, SESSION_TTL_MS, sessionCookie } from "@/lib/auth/sessions";
import { findUserByEmail, toUserDto } from "@/lib/auth/users";
import { AppError } from "@/lib/errors";
import { getRuntime } from "@/lib/runtime";

export const POST = route(async (req) => {
  assertMutation(req);
  const body = await readJson(req, loginBody);
  const { db, loginLimits, log } = getRuntime();
  const account = body.email.trim().toLowerCase();
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

  const user = findUserByEmail(db, account);
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
  return Response.json({ user: toUserDto(user) } satisfies UserResponse, {
    headers: { "Set-Cookie": sessionCookie(session.token, SESSION_TTL_MS / 1000, isSecureRequest(req)) },
  });
});
