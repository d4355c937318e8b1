import type { Metadata } from "next";
import { Suspense } from "react";
import { HistoryPage } from "@/components/history/history-page";
import { LoadingState } from "@/components/ui/states";

export const metadata: Metadata = { title: "History · Gatehouse" };

export default function Page() {
  // the filters are read from the URL (useSearchParams), which needs a Suspense boundary
  return (
    <Suspense fallback={<LoadingState label="Loading history…" />}>
      <HistoryPage />
    </Suspense>
  );
}
