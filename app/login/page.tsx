import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { getCurrentUser } from "@/lib/auth/current-user";
import { safeNextPath } from "@/lib/safe-url";

export const metadata: Metadata = { title: "Sign in · Gatehouse" };
export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  // the one guard for every way back: after sign-in (the form) and when already signed in (here)
  const target = safeNextPath(Array.isArray(next) ? next[0] : next);
  if (await getCurrentUser()) redirect(target);
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2 text-lg font-semibold text-slate-900">
          <span aria-hidden="true" className="grid size-7 place-items-center rounded bg-slate-900 text-sm text-white">
            G
          </span>
          Gatehouse
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="text-xl font-semibold text-slate-900">Sign in</h1>
          <p className="mt-1 text-sm text-slate-500">Review what your agents produced.</p>
          <LoginForm next={target} />
        </div>
      </div>
    </main>
  );
}
