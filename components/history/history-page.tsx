"use client";

import { useMemo, useState } from "react";
import { useLiveStream } from "@/components/realtime/socket-provider";
import { LoadMore } from "@/components/ui/load-more";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { api, type CheckpointListParams } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import { useDebounced } from "@/lib/hooks/use-debounced";
import { useKeysetList } from "@/lib/hooks/use-keyset-list";
import { useWorkflowDefinitions } from "@/lib/hooks/use-workflow-definitions";
import { MIN_SEARCH_CHARS } from "@/lib/limits";
import { LiveStreams } from "@/lib/realtime/protocol";
import { CHECKPOINT_STATUSES } from "@/lib/status";
import { EMPTY_FILTERS, type HistoryFilters, HistoryFiltersBar } from "./history-filters";
import { HistoryTable } from "./history-table";

const PAGE_SIZE = 50;

/** A local calendar day as an ISO instant (the API compares instants): `from` inclusive, `to` exclusive. */
function localDayStart(day: string, offsetDays = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + offsetDays).toISOString();
}

/** The filter bar's values as the API query (blank fields left out). */
function historyQuery(filters: HistoryFilters): CheckpointListParams {
  return {
    order: "newest",
    limit: PAGE_SIZE,
    status: CHECKPOINT_STATUSES.find((s) => s === filters.status),
    workflow: filters.workflow.trim() || undefined,
    step: filters.step.trim() || undefined,
    reviewer: filters.reviewer.trim() || undefined,
    // the index matches three characters or more; a shorter search waits for more typing
    q: filters.q.trim().length >= MIN_SEARCH_CHARS ? filters.q.trim() : undefined,
    from: localDayStart(filters.from),
    to: localDayStart(filters.to, 1),
  };
}

/** Every checkpoint, newest first, with filters; admins only (the API checks too). */
export function HistoryPage() {
  const [filters, setFilters] = useState<HistoryFilters>(EMPTY_FILTERS);
  const debounced = useDebounced(filters, 250);
  const query = useMemo(() => historyQuery(debounced), [debounced]);
  const definitions = useWorkflowDefinitions();
  const { query: history, items } = useKeysetList(queryKeys.checkpoints.list({ ...query, view: "history" }), (cursor) =>
    api.checkpoints.list(query, cursor),
  );
  const filtered = Object.values(debounced).some(Boolean);
  // every checkpoint event is on the queue's stream: decisions appear in the history as they happen
  useLiveStream(LiveStreams.queue);

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Checkpoint history</h1>
        <p className="mt-1 text-sm text-slate-500">Every checkpoint and decision, newest first.</p>
      </div>
      <HistoryFiltersBar filters={filters} onChange={setFilters} definitions={definitions.data ?? []} />
      {history.isPending ? (
        <LoadingState label="Loading history…" />
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
