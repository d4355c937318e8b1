import type { Metadata } from "next";
import { Suspense } from "react";
import { AnalyticsPage } from "@/components/analytics/analytics-page";
import { LoadingState } from "@/components/ui/states";

export const metadata: Metadata = { title: "Analytics · Gatehouse" };

export default function Page() {
  // the filters live in the URL (useSearchParams), read on the client
  return (
    <Suspense fallback={<LoadingState label="Loading analytics…" />}>
      <AnalyticsPage />
    </Suspense>
  );
}
