"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { useCurrentUser, useIsAdmin } from "@/components/current-user";
import { usePendingCount } from "@/components/realtime/socket-provider";
import { CountPill } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { api } from "@/lib/api/endpoints";
import { ConnectionIndicator } from "./connection-indicator";

type NavItem = { href: string; label: string; active: (path: string) => boolean; adminOnly?: boolean };

const ITEMS: NavItem[] = [
  { href: "/", label: "Runs", active: (p) => p === "/" || p.startsWith("/runs") },
  { href: "/review", label: "Review", active: (p) => p.startsWith("/review") },
  { href: "/admin/history", label: "History", active: (p) => p.startsWith("/admin/history"), adminOnly: true },
  { href: "/admin/analytics", label: "Analytics", active: (p) => p.startsWith("/admin/analytics"), adminOnly: true },
  { href: "/admin/users", label: "Users", active: (p) => p.startsWith("/admin/users"), adminOnly: true },
  { href: "/admin/webhooks", label: "Webhooks", active: (p) => p.startsWith("/admin/webhooks"), adminOnly: true },
];

/** Top bar: only the sections this user's role may open, pending count, live indicator, sign out. */
export function AppNav() {
  const pathname = usePathname() ?? "/";
  const user = useCurrentUser();
  const isAdmin = useIsAdmin();
  const pendingCount = usePendingCount();
  const pending = pendingCount === null ? undefined : String(pendingCount);
  const [signingOut, setSigningOut] = useState(false);

  async function signOut() {
    setSigningOut(true);
    try {
      await api.auth.logout();
    } catch {
      // the session may already be gone; the login page is the right place either way
    }
    window.location.assign("/login");
  }

  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2.5">
        <Link href="/" className="mr-2 flex items-center gap-2 font-semibold text-slate-900">
          <span aria-hidden="true" className="grid size-6 place-items-center rounded bg-slate-900 text-xs text-white">
            G
          </span>
          Gatehouse
        </Link>
        {/* the admin's six links wrap on a phone rather than push the page sideways (WCAG 1.4.10 reflow) */}
        <nav
          aria-label="Main"
          className="order-last -mx-1 flex w-full flex-wrap items-center gap-1 sm:order-none sm:w-auto"
        >
          {ITEMS.filter((item) => !item.adminOnly || isAdmin).map((item) => {
            const active = item.active(pathname);
            return (
              <Link
                key={item.href}
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`inline-flex items-center rounded-md px-2.5 py-1.5 text-sm font-medium ${
                  active ? "bg-slate-100 text-slate-900" : "text-slate-600 hover:bg-slate-50 hover:text-slate-900"
                }`}
              >
                {item.label}
                {item.href === "/review" && pending && pending !== "0" ? (
                  <CountPill count={pending} label={`${pending} pending`} />
                ) : null}
              </Link>
            );
          })}
        </nav>
        <div className="ml-auto flex items-center gap-3">
          <ConnectionIndicator />
          <span className="max-w-32 truncate text-sm text-slate-700" title={user.email}>
            {user.name}
          </span>
          <Button size="sm" variant="ghost" onClick={signOut} disabled={signingOut}>
            Sign out
          </Button>
        </div>
      </div>
    </header>
  );
}
