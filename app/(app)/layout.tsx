import { AppNav } from "@/components/layout/app-nav";
import { Providers } from "@/components/providers";
import { requirePageUser } from "@/lib/auth/current-user";

// per request: the session decides what renders
export const dynamic = "force-dynamic";

/** Every signed-in page: signed out → /login; then the client providers and the top nav. */
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const { user } = await requirePageUser();
  return (
    <Providers user={user}>
      <AppNav />
      <main className="mx-auto w-full max-w-6xl px-4 py-6">{children}</main>
    </Providers>
  );
}
