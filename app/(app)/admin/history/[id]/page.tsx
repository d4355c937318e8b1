import type { Metadata } from "next";
import { HistoryDetail } from "@/components/history/history-detail";

export const metadata: Metadata = { title: "Checkpoint · History · Gatehouse" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <HistoryDetail key={id} id={id} />;
}
