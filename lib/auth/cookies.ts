import "server-only";
// Next's own cookie parser (what NextRequest.cookies and cookies() use): it skips a pair it cannot decode
import { RequestCookies } from "next/dist/server/web/spec-extension/cookies.js";
import type { NextResponse } from "next/server";

export const SESSION_COOKIE = "gatehouse_session";

/**
 * The session cookie's value from request headers, or undefined. Total: a
 * malformed cookie header (e.g. `gatehouse_session=%`) reads as no cookie.
 */
export function readSessionCookie(headers: Headers): string | undefined {
  return new RequestCookies(headers).get(SESSION_COOKIE)?.value || undefined;
}

export function setSessionCookie(
  res: NextResponse,
  token: string,
  options: { maxAgeSeconds: number; secure: boolean },
) {
  res.cookies.set({
    name: SESSION_COOKIE,
    value: token,
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    maxAge: options.maxAgeSeconds,
    secure: options.secure,
  });
}

/** Tells the browser to drop the session cookie (the session itself is ended on the server). */
export function clearSessionCookie(res: NextResponse, options: { secure: boolean }) {
  setSessionCookie(res, "", { maxAgeSeconds: 0, secure: options.secure });
}
