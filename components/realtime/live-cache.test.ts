import { type InfiniteData, QueryClient, type QueryKey } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { queryKeys } from "@/lib/api/query-keys";
import type { CheckpointSummaryDto, LiveEvent, Page, RunDetailResponse, RunSummaryDto } from "@/lib/api/types";
import { applyLiveEvents } from "./live-cache";

/** Unit tests of the cache patching with a real QueryClient (the socket tests run it against a real server). */

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

function run(id: string, s: number, patch: Partial<RunSummaryDto> = {}): RunSummaryDto {
  return {
    id,
    workflow: "content-pipeline",
    status: "running",
    input: {},
    position: 0,
    round: 0,
    error: null,
    createdBy: "Ann",
    createdAt: at(s),
    updatedAt: at(s),
    finishedAt: null,
    tokens: { input: 0, output: 0 },
    ...patch,
  };
}

function checkpoint(id: string, s: number, patch: Partial<CheckpointSummaryDto> = {}): CheckpointSummaryDto {
  return {
    id,
    runId: `run-${id}`,
    workflow: "content-pipeline",
    stepIndex: 1,
    step: "review-research",
    round: 0,
    showKey: "notes",
    contentType: "text",
    preview: "notes…",
    model: null,
    title: null,
    source: null,
    dueAt: null,
    assignee: null,
    allow: ["approve", "edit", "reject"],
    status: "pending",
    edited: false,
    reviewer: null,
    createdAt: at(s),
    resolvedAt: null,
    ...patch,
  };
}

let nextId = 1;
function event(change: { run?: RunSummaryDto; checkpoint?: CheckpointSummaryDto }): LiveEvent {
  const runId = change.run?.id ?? change.checkpoint?.runId ?? "r";
  return {
    id: nextId++,
    type: change.checkpoint ? "checkpoint.created" : "run.status",
    runId,
    checkpointId: change.checkpoint?.id ?? null,
    fromStatus: null,
    toStatus: null,
    actor: { type: "system", id: null, name: "system" },
    data: null,
    createdAt: at(0),
    run: change.run ?? null,
    checkpoint: change.checkpoint ?? null,
  };
}

const pages = <T>(...list: Array<{ items: T[]; nextCursor: string | null }>): InfiniteData<Page<T>> => ({
  pages: list,
  pageParams: list.map((_, i) => (i === 0 ? undefined : `c${i}`)),
});

function setup() {
  const client = new QueryClient();
  const refetched: QueryKey[] = [];
  const apply = (e: LiveEvent) => applyLiveEvents(client, [e], (key) => refetched.push(key));
  return { client, refetched, apply };
}

const queueKey = queryKeys.checkpoints.list({ status: "pending", order: "oldest", limit: 50, view: "queue" });
const ids = (data: InfiniteData<Page<{ id: string }>> | undefined) =>
  data?.pages.flatMap((p) => p.items.map((i) => i.id));

describe("applyLiveEvent", () => {
  it("the queue (oldest first): a new pending checkpoint is appended, a decided one removed, no refetch", () => {
    const { client, refetched, apply } = setup();
    client.setQueryData(queueKey, pages({ items: [checkpoint("a", 1), checkpoint("b", 2)], nextCursor: null }));
    apply(event({ checkpoint: checkpoint("c", 3) }));
    expect(ids(client.getQueryData(queueKey))).toEqual(["a", "b", "c"]);
    apply(event({ checkpoint: checkpoint("a", 1, { status: "approved", reviewer: { id: "u", name: "Ann" } }) }));
    expect(ids(client.getQueryData(queueKey))).toEqual(["b", "c"]);
    expect(refetched).toEqual([]);
  });

  it("the queue in its own order (due): dated checkpoints first, soonest first, then the rest oldest first", () => {
    const { client, apply } = setup();
    const dueQueue = queryKeys.checkpoints.list({ status: "pending", order: "due", limit: 50, view: "queue" });
    const dueIn = (s: number) => ({ dueAt: at(100 + s) });
    client.setQueryData(
      dueQueue,
      pages({ items: [checkpoint("soon", 3, dueIn(1)), checkpoint("old", 1), checkpoint("new", 5)], nextCursor: null }),
    );
    apply(event({ checkpoint: checkpoint("undated", 6) }));
    apply(event({ checkpoint: checkpoint("later", 7, dueIn(9)) }));
    apply(event({ checkpoint: checkpoint("sooner", 8, dueIn(0)) }));
    expect(ids(client.getQueryData(dueQueue))).toEqual(["sooner", "soon", "later", "old", "new", "undated"]);
  });

  it("does not add to a queue whose later pages are not loaded (Load more brings it)", () => {
    const { client, apply } = setup();
    client.setQueryData(queueKey, pages({ items: [checkpoint("a", 1)], nextCursor: "more" }));
    apply(event({ checkpoint: checkpoint("z", 9) }));
    expect(ids(client.getQueryData(queueKey))).toEqual(["a"]);
  });

  it("a newest-first run list: a new run goes on top, a changed one is replaced, one leaving the filter removed", () => {
    const { client, apply } = setup();
    const all = queryKeys.runs.list({ limit: 25, view: "table" });
    const running = queryKeys.runs.list({ status: "running", limit: 25, view: "table" });
    client.setQueryData(all, pages({ items: [run("b", 2), run("a", 1)], nextCursor: null }));
    client.setQueryData(running, pages({ items: [run("b", 2), run("a", 1)], nextCursor: null }));
    apply(event({ run: run("c", 3) }));
    apply(event({ run: run("a", 1, { status: "completed", updatedAt: at(5) }) }));
    expect(ids(client.getQueryData(all))).toEqual(["c", "b", "a"]);
    expect(ids(client.getQueryData(running))).toEqual(["c", "b"]);
    const first = client.getQueryData<InfiniteData<Page<RunSummaryDto>>>(all)?.pages[0].items;
    expect(first?.find((r) => r.id === "a")?.status).toBe("completed");
  });

  it("a run list leaves out the inbox's runs unless it asks for them by name, as the API does", () => {
    const { client, apply } = setup();
    const all = queryKeys.runs.list({ limit: 25, view: "table" });
    const inboxOnly = queryKeys.runs.list({ workflow: "inbox", limit: 25, view: "table" });
    client.setQueryData(all, pages({ items: [run("a", 1)], nextCursor: null }));
    client.setQueryData(inboxOnly, pages({ items: [], nextCursor: null }));
    apply(event({ run: run("i", 2, { workflow: "inbox" }) }));
    expect(ids(client.getQueryData(all))).toEqual(["a"]);
    expect(ids(client.getQueryData(inboxOnly))).toEqual(["i"]);
  });

  it("an older event never overwrites a newer row", () => {
    const { client, apply } = setup();
    const all = queryKeys.runs.list({ limit: 25, view: "table" });
    client.setQueryData(
      all,
      pages({ items: [run("a", 1, { status: "completed", updatedAt: at(9) })], nextCursor: null }),
    );
    apply(event({ run: run("a", 1, { status: "running", updatedAt: at(3) }) }));
    expect(client.getQueryData<InfiniteData<Page<RunSummaryDto>>>(all)?.pages[0].items[0].status).toBe("completed");
  });

  it("a text search cannot be evaluated here: that list is refetched (the caller coalesces)", () => {
    const { client, refetched, apply } = setup();
    const search = queryKeys.checkpoints.list({ q: "quokka", order: "newest", limit: 50, view: "history" });
    client.setQueryData(search, pages({ items: [], nextCursor: null }));
    apply(event({ checkpoint: checkpoint("a", 1) }));
    expect(refetched).toEqual([search]);
  });

  it("history filters by reviewer, step and dates are evaluated locally", () => {
    const { client, refetched, apply } = setup();
    const byAnn = queryKeys.checkpoints.list({ reviewer: "Ann", order: "newest", limit: 50, view: "history" });
    const otherDay = queryKeys.checkpoints.list({
      from: "2025-01-01",
      to: "2025-01-01",
      order: "newest",
      limit: 50,
      view: "history",
    });
    client.setQueryData(byAnn, pages({ items: [], nextCursor: null }));
    client.setQueryData(otherDay, pages({ items: [], nextCursor: null }));
    apply(event({ checkpoint: checkpoint("a", 1, { status: "approved", reviewer: { id: "u1", name: "Ann" } }) }));
    apply(event({ checkpoint: checkpoint("b", 2, { status: "approved", reviewer: { id: "u2", name: "Bob" } }) }));
    expect(ids(client.getQueryData(byAnn))).toEqual(["a"]);
    expect(ids(client.getQueryData(otherDay))).toEqual([]);
    expect(refetched).toEqual([]);
  });

  it("the pending count (one page of 100): refetched only when the count crosses the page", () => {
    const { client, refetched, apply } = setup();
    const count = queryKeys.checkpoints.list({ status: "pending", limit: 2, view: "count" });
    client.setQueryData(count, { items: [checkpoint("a", 1)], nextCursor: null });
    apply(event({ checkpoint: checkpoint("b", 2) }));
    expect(client.getQueryData<Page<CheckpointSummaryDto>>(count)?.items.map((c) => c.id)).toEqual(["b", "a"]);
    apply(event({ checkpoint: checkpoint("c", 3) }));
    expect(refetched).toEqual([count]);
  });

  it("a decision patches an open checkpoint (status, reviewer) and refetches it for the edit and notes", () => {
    const { client, refetched, apply } = setup();
    const key = queryKeys.checkpoints.detail("a");
    client.setQueryData(key, {
      checkpoint: { ...checkpoint("a", 1), content: "full", editedContent: null, notes: null },
    });
    apply(
      event({ checkpoint: checkpoint("a", 1, { status: "edited", edited: true, reviewer: { id: "u", name: "Ann" } }) }),
    );
    expect(client.getQueryData(key)).toMatchObject({
      checkpoint: { status: "edited", reviewer: { name: "Ann" }, content: "full" },
    });
    expect(refetched).toEqual([key]);
  });

  it("a batch is one write per query: the queue's observers hear of five new checkpoints once", () => {
    const { client } = setup();
    client.setQueryData(queueKey, pages({ items: [], nextCursor: null }));
    let writes = 0;
    const stop = client.getQueryCache().subscribe((change) => {
      if (change.type === "updated" && change.action.type === "success") writes += 1;
    });
    applyLiveEvents(
      client,
      ["a", "b", "c", "d", "e"].map((id, i) => event({ checkpoint: checkpoint(id, i) })),
      () => {},
    );
    stop();
    expect(ids(client.getQueryData(queueKey))).toEqual(["a", "b", "c", "d", "e"]);
    expect(writes).toBe(1);
  });

  it("a run's page is patched at once and refetched for its steps and audit trail", () => {
    const { client, refetched, apply } = setup();
    const key = queryKeys.runs.detail("a");
    client.setQueryData<RunDetailResponse>(key, {
      run: { ...run("a", 1), state: { topic: "t" } },
      steps: [],
      checkpoints: [],
      events: [],
    });
    apply(event({ run: run("a", 1, { status: "completed", updatedAt: at(4) }) }));
    expect(client.getQueryData<RunDetailResponse>(key)?.run).toMatchObject({
      status: "completed",
      state: { topic: "t" },
    });
    expect(refetched).toEqual([key]);
  });
});
