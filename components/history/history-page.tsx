"use client";

import { useState } from "react";
import { LoadMore } from "@/components/ui/load-more";
import { Spinner } from "@/components/ui/spinner";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { queryKeys } from "@/lib/api/query-keys";
import type { CheckpointDto } from "@/lib/api/types";
import { useDebounced } from "@/lib/hooks/use-debounced";
import { useKeysetList } from "@/lib/hooks/use-keyset-list";
import { useWorkflowDefinitions } from "@/lib/hooks/use-workflow-definitions";
import { EMPTY_FILTERS, type HistoryFilters, HistoryFiltersBar } from "./history-filters";
import { HistoryTable } from "./history-table";

const PAGE_SIZE = 50;

/** A local calendar day as an ISO instant (the API compares instants): `from` inclusive, `to` exclusive. */
function localDayStart(day: string, offsetDays = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + offsetDays).toISOString();
}

function historyUrl(filters: HistoryFilters, cursor?: string): string {
  const params = new URLSearchParams({ order: "newest", limit: String(PAGE_SIZE) });
  for (const key of ["status", "workflow", "step", "reviewer", "q"] as const) {
    const value = filters[key].trim();
    if (value) params.set(key, value);
  }
  const from = localDayStart(filters.from);
  const to = localDayStart(filters.to, 1);
  if (from) params.set("from", from);
  if (to) params.set("to", to);
  if (cursor) params.set("cursor", cursor);
  return `/api/checkpoints?${params}`;
}

/** Every checkpoint, newest first, with filters; admins only (the API checks too). */
export function HistoryPage() {
  const [filters, setFilters] = useState<HistoryFilters>(EMPTY_FILTERS);
  const query = useDebounced(filters, 250);
  const definitions = useWorkflowDefinitions();
  const { query: history, items } = useKeysetList<CheckpointDto>(
    queryKeys.checkpoints.list({ ...query, view: "history" }),
    (cursor) => historyUrl(query, cursor),
  );
  const filtered = Object.values(query).some(Boolean);

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Checkpoint history</h1>
        <p className="mt-1 text-sm text-slate-500">Every checkpoint and decision, newest first.</p>
      </div>
      <HistoryFiltersBar filters={filters} onChange={setFilters} definitions={definitions.data ?? []} />
      {history.isPending ? (
        <Spinner label="Loading history…" className="py-6" />
      ) : history.isError && items.length === 0 ? (
        <ErrorState error={history.error} title="Could not load the history" onRetry={() => history.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={filtered ? "No checkpoints match these filters" : "No checkpoints yet"} />
      ) : (
        <HistoryTable items={items} />
      )}
      <LoadMore query={history} />
    </div>
  );
}
