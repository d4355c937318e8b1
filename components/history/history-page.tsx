"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { useLiveStream } from "@/components/realtime/socket-provider";
import { LoadMore } from "@/components/ui/load-more";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import { useDebounced } from "@/lib/hooks/use-debounced";
import { useKeysetList } from "@/lib/hooks/use-keyset-list";
import { useWorkflowDefinitions } from "@/lib/hooks/use-workflow-definitions";
import { LiveStreams } from "@/lib/realtime/protocol";
import { ExportMenu } from "./export-menu";
import { HistoryFiltersBar } from "./history-filters";
import { HistoryTable } from "./history-table";
import { apiFilters, filtersFromParams, filtersToSearch, type HistoryFilters } from "./history-url";
import { useReviewers } from "./use-reviewers";

const PAGE_SIZE = 50;

/**
 * The filters as the URL holds them, and a draft the inputs edit: the draft
 * goes into the URL (a history entry, so back and forward work) once typing
 * pauses; a URL changed from outside (back, forward, a shared link) becomes
 * the draft.
 */
function useUrlFilters() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const search = params.toString();
  const inUrl = useMemo(() => filtersFromParams(new URLSearchParams(search)), [search]);
  const [draft, setDraft] = useState<HistoryFilters>(inUrl);
  const pushed = useRef(filtersToSearch(inUrl));
  useEffect(() => {
    if (filtersToSearch(inUrl) !== pushed.current) {
      pushed.current = filtersToSearch(inUrl);
      setDraft(inUrl);
    }
  }, [inUrl]);
  const settled = useDebounced(draft, 300);
  useEffect(() => {
    const next = filtersToSearch(settled);
    if (next === pushed.current) return;
    pushed.current = next;
    router.push(next ? `${pathname}?${next}` : pathname, { scroll: false });
  }, [settled, pathname, router]);
  return { inUrl, draft, setDraft };
}

/** Every checkpoint, newest first, with filters kept in the URL; admins only (the API checks too). */
export function HistoryPage() {
  const { inUrl, draft, setDraft } = useUrlFilters();
  const query = useMemo(() => ({ order: "newest" as const, limit: PAGE_SIZE, ...apiFilters(inUrl) }), [inUrl]);
  const definitions = useWorkflowDefinitions();
  const reviewers = useReviewers();
  const { query: history, items } = useKeysetList(queryKeys.checkpoints.list({ ...query, view: "history" }), (cursor) =>
    api.checkpoints.list(query, cursor),
  );
  const filtered = Object.values(inUrl).some(Boolean);
  // every checkpoint event is on the queue's stream: decisions appear in the history as they happen
  useLiveStream(LiveStreams.queue);

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Checkpoint history</h1>
          <p className="mt-1 text-sm text-slate-600">
            Every checkpoint and decision, newest first. A search looks in titles, content, edits and notes.
          </p>
        </div>
        <ExportMenu filters={inUrl} />
      </div>
      <HistoryFiltersBar
        filters={draft}
        onChange={setDraft}
        definitions={definitions.data ?? []}
        reviewers={reviewers.data?.items ?? []}
      />
      {history.isPending ? (
        <LoadingState label="Loading history…" />
      ) : history.isError && items.length === 0 ? (
        <ErrorState error={history.error} title="Could not load the history" onRetry={() => history.refetch()} />
      ) : items.length === 0 && !history.hasNextPage ? (
        <EmptyState title={filtered ? "No checkpoints match these filters" : "No checkpoints yet"} />
      ) : (
        <HistoryTable items={items} />
      )}
      {/* a search or a combination of filters answers within a time budget: a page may hold fewer rows, and more follow */}
      <LoadMore query={history} />
    </div>
  );
}
