import { hashKey, type InfiniteData, type QueryClient, type QueryKey } from "@tanstack/react-query";
import type { CheckpointListParams, RunListParams } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import type {
  CheckpointResponse,
  CheckpointSummaryDto,
  LiveEvent,
  Page,
  RunDetailResponse,
  RunSummaryDto,
} from "@/lib/api/types";
import { INBOX_WORKFLOW } from "@/lib/inbox-workflow";
import { CheckpointStatus } from "@/lib/status";

/**
 * Live events patch the react-query cache (SPEC §4): each event carries the
 * summary of the run and/or checkpoint it changed, and every cached list and
 * detail it touches is updated in place. A query is refetched only when the
 * event cannot be applied locally (a text search the client cannot evaluate,
 * a run's steps and audit trail), through `refetch`, which coalesces.
 *
 * Plain TypeScript with no React: the browser's socket provider and the live
 * benchmark's simulated tabs run the same code.
 */

/** Asks for a (coalesced) refetch of one query. */
export type Refetch = (queryKey: QueryKey) => void;

type Sortable = { id: string; createdAt: string; dueAt?: string | null };
type Order = "newest" | "oldest" | "due";
type ListData<T> = Page<T> | InfiniteData<Page<T>>;

/**
 * The cache as a batch of events changes it: reads see the batch's earlier
 * changes, and each query is written once at the end, so its observers
 * (and React) hear of a batch once, not once per event.
 */
class CacheDraft {
  private readonly writes = new Map<string, { key: QueryKey; data: unknown }>();

  constructor(readonly client: QueryClient) {}

  queries<T>(prefix: QueryKey): Array<[QueryKey, T | undefined]> {
    return this.client
      .getQueriesData<T>({ queryKey: prefix })
      .map(([key, data]) => [key, (this.writes.get(hashKey(key))?.data as T | undefined) ?? data]);
  }

  get<T>(key: QueryKey): T | undefined {
    return (this.writes.get(hashKey(key))?.data as T | undefined) ?? this.client.getQueryData<T>(key);
  }

  set(key: QueryKey, data: unknown): void {
    this.writes.set(hashKey(key), { key, data });
  }

  commit(): void {
    for (const { key, data } of this.writes.values()) this.client.setQueryData(key, data);
  }
}

/** Applies a batch of events (in order) to the cache. */
export function applyLiveEvents(queryClient: QueryClient, events: readonly LiveEvent[], refetch: Refetch): void {
  const draft = new CacheDraft(queryClient);
  for (const event of events) {
    if (event.run) applyRun(draft, event.run, refetch);
    if (event.checkpoint) applyCheckpoint(draft, event.checkpoint, refetch);
    // a run's page shows its steps and audit trail, which events do not carry: refetch it (coalesced)
    const detailKey = queryKeys.runs.detail(event.runId);
    if (queryClient.getQueryState(detailKey)) refetch(detailKey);
  }
  draft.commit();
}

function applyRun(draft: CacheDraft, run: RunSummaryDto, refetch: Refetch): void {
  for (const [key, data] of draft.queries<ListData<RunSummaryDto>>(queryKeys.runs.all)) {
    if (!data || key[1] !== "list") continue;
    const params = key[2] as RunListParams;
    // the API lists the inbox's runs (one per inbox checkpoint) only when asked for by name
    const listed = run.workflow !== INBOX_WORKFLOW || params.workflow === INBOX_WORKFLOW;
    const matches =
      listed &&
      (!params.status || params.status === run.status) &&
      (!params.workflow || params.workflow === run.workflow);
    const next = patchList(data, run, { matches, order: "newest", isNewer: isNewerRun, limit: params.limit });
    if (next === "refetch") refetch(key);
    else if (next !== data) draft.set(key, next);
  }
  const detailKey = queryKeys.runs.detail(run.id);
  const detail = draft.get<RunDetailResponse>(detailKey);
  if (detail && isNewerRun(run, detail.run)) draft.set(detailKey, { ...detail, run: { ...detail.run, ...run } });
}

function applyCheckpoint(draft: CacheDraft, checkpoint: CheckpointSummaryDto, refetch: Refetch): void {
  for (const [key, data] of draft.queries<ListData<CheckpointSummaryDto>>(queryKeys.checkpoints.all)) {
    if (!data || key[1] !== "list") continue;
    const params = key[2] as CheckpointListParams;
    // a text search runs on the server's index, "assigned to me" on the server's knowledge of me:
    // the client cannot tell whether this checkpoint matches
    if (params.q || params.assignee) {
      refetch(key);
      continue;
    }
    const next = patchList(data, checkpoint, {
      matches: checkpointMatches(checkpoint, params),
      order: params.order ?? "newest",
      isNewer: isNewerCheckpoint,
      limit: params.limit,
    });
    if (next === "refetch") refetch(key);
    else if (next !== data) draft.set(key, next);
  }
  const detailKey = queryKeys.checkpoints.detail(checkpoint.id);
  const detail = draft.get<CheckpointResponse>(detailKey);
  if (detail && isNewerCheckpoint(checkpoint, detail.checkpoint)) {
    draft.set(detailKey, { checkpoint: { ...detail.checkpoint, ...checkpoint } });
    // the detail also shows the edit and the notes, which summaries leave out
    if (checkpoint.status !== CheckpointStatus.pending) refetch(detailKey);
  }
}

/** Whether a checkpoint belongs in a list with these filters (all but `q`, which only the server can evaluate). */
function checkpointMatches(c: CheckpointSummaryDto, params: CheckpointListParams): boolean {
  const created = Date.parse(c.createdAt);
  return (
    (!params.status || params.status === c.status) &&
    (!params.workflow || params.workflow === c.workflow) &&
    (!params.step || params.step === c.step) &&
    (!params.runId || params.runId === c.runId) &&
    (!params.source || params.source === c.source) &&
    (!params.reviewer || params.reviewer === c.reviewer?.id || params.reviewer === c.reviewer?.name) &&
    (!params.from || created >= dayBound(params.from, false)) &&
    (!params.to || created < dayBound(params.to, true))
  );
}

/** The API's reading of `from`/`to`: a bare date is a whole UTC day. */
function dayBound(value: string, end: boolean): number {
  const isDate = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(isDate ? `${value}T00:00:00.000Z` : value);
  return isDate && end ? ms + 24 * 60 * 60 * 1000 : ms;
}

const isNewerRun = (next: RunSummaryDto, cached: RunSummaryDto) => next.updatedAt >= cached.updatedAt;

// a checkpoint changes once, from pending to its decision: never go back to pending
const isNewerCheckpoint = (next: CheckpointSummaryDto, cached: CheckpointSummaryDto) =>
  cached.status === CheckpointStatus.pending || next.status === cached.status;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Keyset order of the API: (createdAt, id), newest or oldest first; the queue's: due date first (none last). */
function before(a: Sortable, b: Sortable, order: Order): boolean {
  const byCreation = compare(a.createdAt, b.createdAt) || compare(a.id, b.id);
  if (order === "newest") return byCreation > 0;
  if (order === "due") {
    // ISO strings of one format compare as their instants; "~" sorts after every digit
    const byDue = compare(a.dueAt ?? "~", b.dueAt ?? "~");
    if (byDue !== 0) return byDue < 0;
  }
  return byCreation < 0;
}

/**
 * The list with `item` updated, inserted at its place, or removed (when it no
 * longer matches); the same object when nothing changed. An item that belongs
 * past the last loaded page is left to "Load more". A one-page list (a count)
 * whose length would cross its limit asks for a refetch instead.
 */
function patchList<T extends Sortable>(
  data: ListData<T>,
  item: T,
  how: {
    matches: boolean;
    order: Order;
    isNewer: (next: T, cached: T) => boolean;
    /** The page size asked for (a one-page list, e.g. the pending count, must not pass it). */
    limit?: number;
  },
): ListData<T> | "refetch" {
  const { matches, order, isNewer } = how;
  const infinite = "pages" in data;
  const pages = infinite ? data.pages : [data];
  const where = pages.findIndex((page) => page.items.some((i) => i.id === item.id));
  let nextPages: Page<T>[];
  if (where >= 0) {
    const cached = pages[where].items.find((i) => i.id === item.id) as T;
    if (!isNewer(item, cached)) return data;
    nextPages = pages.map((page, i) =>
      i !== where
        ? page
        : {
            ...page,
            items: matches
              ? page.items.map((x) => (x.id === item.id ? item : x))
              : page.items.filter((x) => x.id !== item.id),
          },
    );
    if (!matches && !infinite && data.nextCursor) return "refetch";
  } else {
    if (!matches) return data;
    const at = insertionPoint(pages, item, order);
    if (!at) return data;
    if (!infinite && data.nextCursor === null && how.limit !== undefined && data.items.length >= how.limit) {
      return "refetch";
    }
    if (!infinite && data.nextCursor) return data;
    nextPages = pages.map((page, i) =>
      i !== at.page
        ? page
        : { ...page, items: [...page.items.slice(0, at.index), item, ...page.items.slice(at.index)] },
    );
  }
  return infinite ? { ...data, pages: nextPages } : nextPages[0];
}

/** Where `item` goes among the loaded pages, or null when it belongs past them (not loaded yet). */
function insertionPoint<T extends Sortable>(
  pages: Page<T>[],
  item: T,
  order: Order,
): { page: number; index: number } | null {
  for (let p = 0; p < pages.length; p++) {
    const index = pages[p].items.findIndex((x) => before(item, x, order));
    if (index >= 0) return { page: p, index };
  }
  const last = pages.length - 1;
  // after every loaded item: it belongs here only if nothing comes after the last page
  if (last < 0 || pages[last].nextCursor !== null) return null;
  return { page: last, index: pages[last].items.length };
}
