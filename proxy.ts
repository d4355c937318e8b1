import "server-only";
import { type NextRequest, NextResponse } from "next/server";
import { SESSION_COOKIE } from "@/lib/auth/cookies";

/**
 * Convenience only: a visitor without a session cookie goes to /login with a
 * way back. The real checks are the pages' layouts (the session is looked up
 * in the database) and every route handler's own role check.
 */
export function proxy(req: NextRequest) {
  if (req.cookies.has(SESSION_COOKIE)) return NextResponse.next();
  const login = new URL("/login", req.url);
  login.searchParams.set("next", `${req.nextUrl.pathname}${req.nextUrl.search}`);
  return NextResponse.redirect(login);
}

export const config = { matcher: ["/", "/runs/:path*", "/review/:path*", "/admin/:path*"] };
