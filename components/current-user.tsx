"use client";

import { createContext, useContext } from "react";
import type { UserDto } from "@/lib/api/types";
import { hasRole, Role } from "@/lib/roles";

/** The signed-in user, handed down by the (app) layout (server) to client components. */
type SessionUser = UserDto;

const CurrentUserContext = createContext<SessionUser | null>(null);

export function CurrentUserProvider({ user, children }: { user: SessionUser; children: React.ReactNode }) {
  return <CurrentUserContext.Provider value={user}>{children}</CurrentUserContext.Provider>;
}

export function useCurrentUser(): SessionUser {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error("useCurrentUser needs <CurrentUserProvider>");
  return user;
}

export function useIsAdmin(): boolean {
  return hasRole(useCurrentUser().role, Role.admin);
}
