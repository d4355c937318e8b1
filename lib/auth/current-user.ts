import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { UserDto } from "@/lib/api/types";
import { hasRole, type Role } from "@/lib/roles";
import { getRuntime } from "@/lib/runtime";
import { sessionCookie } from "./cookies";
import { sessionIdOf, sessionUser } from "./sessions";
import { toUserDto } from "./users";

/** The signed-in user of a page request (server components), from the session cookie. */
export async function getCurrentUser(): Promise<UserDto | undefined> {
  // Next's cookies() skips a pair it cannot decode: a malformed cookie reads as signed out
  const token = (await cookies()).get(sessionCookie().name)?.value;
  if (!token) return undefined;
  const user = sessionUser(getRuntime().db, sessionIdOf(token));
  return user ? toUserDto(user) : undefined;
}

/** For page layouts: signed out → /login (with a way back); returns the user and whether they hold `role`. */
export async function requirePageUser(role?: Role): Promise<{ user: UserDto; allowed: boolean }> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  return { user, allowed: role ? hasRole(user.role, role) : true };
}
