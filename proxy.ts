import "server-only";
import { type NextRequest, NextResponse } from "next/server";
import { sessionCookie } from "@/lib/auth/cookies";
import { contentSecurityPolicy, newNonce } from "@/lib/csp";
import { getRuntime } from "@/lib/runtime";

// the pages behind sign-in (the layouts check the session; this only saves a round trip)
const SIGNED_IN_PAGES = /^\/(?:runs|review|admin)?(?:\/|$)/;

/**
 * Every response gets a Content-Security-Policy with a fresh nonce, which
 * Next reads from the request's copy of the header and puts on its scripts.
 * Convenience only: a visitor without a session cookie on a signed-in page
 * goes to /login with a way back. The real checks are the pages' layouts (the
 * session is looked up in the database) and every route handler's own role check.
 */
export function proxy(req: NextRequest) {
  const { env } = getRuntime();
  const csp = contentSecurityPolicy(newNonce(), {
    dev: env.NODE_ENV === "development",
    https: env.PUBLIC_URL?.startsWith("https:") ?? false,
  });
  let res: NextResponse;
  if (SIGNED_IN_PAGES.test(req.nextUrl.pathname) && !req.cookies.has(sessionCookie(env).name)) {
    const login = new URL("/login", req.url);
    login.searchParams.set("next", `${req.nextUrl.pathname}${req.nextUrl.search}`);
    res = NextResponse.redirect(login);
  } else {
    const headers = new Headers(req.headers);
    headers.set("content-security-policy", csp);
    res = NextResponse.next({ request: { headers } });
  }
  res.headers.set("Content-Security-Policy", csp);
  return res;
}

// everything but Next's static files (hashed JS and CSS, which run no policy of their own)
export const config = { matcher: ["/((?!_next/static|_next/image).*)"] };
