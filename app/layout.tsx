import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: "Gatehouse",
  description: "Human-in-the-loop checkpoints for agent workflows",
};

// every page renders per request, the 404 page too: only then can Next put the CSP nonce (proxy.ts) on its scripts
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">{children}</body>
    </html>
  );
}
