import "server-only";
// Next's own cookie parser (what NextRequest.cookies and cookies() use): it skips a pair it cannot decode
import { RequestCookies } from "next/dist/server/web/spec-extension/cookies.js";
import type { NextResponse } from "next/server";
import type { Env } from "@/lib/env";
import { getRuntime } from "@/lib/runtime";

const COOKIE_NAME = "gatehouse_session";

/**
 * The session cookie's name and whether it is Secure, for every reader and
 * writer (proxy, route handlers, pages). Over HTTPS (PUBLIC_URL is https) it
 * is `__Host-` prefixed: the browser then keeps it only if it is Secure, has
 * Path=/ and no Domain, so no subdomain or plain-http page can plant or
 * overwrite it. Only this name is read: a cookie under the other name is no session.
 */
export function sessionCookie(env: Pick<Env, "PUBLIC_URL"> = getRuntime().env): { name: string; secure: boolean } {
  const secure = env.PUBLIC_URL?.startsWith("https:") ?? false;
  return { name: secure ? `__Host-${COOKIE_NAME}` : COOKIE_NAME, secure };
}

/**
 * The session cookie's value from request headers, or undefined. Total: a
 * malformed cookie header (e.g. `gatehouse_session=%`) reads as no cookie.
 */
export function readSessionCookie(headers: Headers): string | undefined {
  return new RequestCookies(headers).get(sessionCookie().name)?.value || undefined;
}

export function setSessionCookie(res: NextResponse, token: string, options: { maxAgeSeconds: number }) {
  const { name, secure } = sessionCookie();
  // no `domain`: a __Host- cookie must not have one, and a host-only cookie is what we want anyway
  res.cookies.set({
    name,
    value: token,
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    maxAge: options.maxAgeSeconds,
    secure,
  });
}

/** Tells the browser to drop the session cookie (the session itself is ended on the server). */
export function clearSessionCookie(res: NextResponse) {
  setSessionCookie(res, "", { maxAgeSeconds: 0 });
}
