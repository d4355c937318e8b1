import Link from "next/link";
import { requirePageUser } from "@/lib/auth/current-user";
import { Role } from "@/lib/roles";

export const dynamic = "force-dynamic";

/** Admin pages: signed out → /login; a reviewer gets the 403 view and never the admin content. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const { allowed } = await requirePageUser(Role.admin);
  if (!allowed) {
    return (
      <div className="mx-auto max-w-md rounded-lg border border-slate-200 bg-white px-6 py-10 text-center shadow-xs">
        <p className="text-sm font-semibold text-slate-500">403</p>
        <h1 className="mt-1 text-xl font-semibold text-slate-900">Admins only</h1>
        <p className="mt-2 text-sm text-slate-600">Your account cannot open this page. Ask an admin if you need it.</p>
        <Link
          href="/review"
          className="mt-5 inline-flex rounded-md bg-slate-900 px-3.5 py-2 text-sm font-medium text-white hover:bg-slate-700"
        >
          Go to the review queue
        </Link>
      </div>
    );
  }
  return children;
}
