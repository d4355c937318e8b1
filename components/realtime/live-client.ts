import type { QueryClient } from "@tanstack/react-query";
import type { Socket } from "socket.io-client";
import type { EventsResponse, LiveEvent } from "@/lib/api/types";
import type { StepText } from "@/lib/model";
import {
  type ClientToServerEvents,
  type Hello,
  type LiveBatch,
  type ServerToClientEvents,
  SocketEvent,
  type StreamPositions,
} from "@/lib/realtime/protocol";
import { applyLiveEvents, type Refetch } from "./live-cache";

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type LiveClientOptions = {
  queryClient: QueryClient;
  socket: LiveSocket;
  /** GET /api/events?after= (the catch-up). */
  eventsAfter: (afterId: number) => Promise<EventsResponse>;
  /** A coalesced refetch (createRefetchScheduler). */
  refetch: Refetch;
  /** Past this many catch-up pages every active query is refetched instead. */
  maxCatchUpPages?: number;
  onHello?: (hello: Hello) => void;
  onPendingCount?: (pending: number) => void;
  /** A model step's text so far, on a watched run's stream. */
  onStepText?: (update: StepText) => void;
};

const SEEN_LIMIT = 5000;

/**
 * The live side of one tab, without React: it tells the server which streams
 * the tab shows, applies each batch of events to the query cache, notices a
 * missing batch by its stream's `seq` and repairs it with the catch-up
 * endpoint, and catches up after a reconnect. The socket provider wraps it;
 * the live benchmark runs hundreds of them.
 */
export class LiveClient {
  private readonly interest = new Map<string, number>();
  private readonly positions = new Map<string, { seq: number; lastId: number }>();
  private readonly seen = new Set<number>();
  private queue: Promise<void> = Promise.resolve();
  private connectedBefore = false;
  private lastSeenId = 0;

  constructor(private readonly options: LiveClientOptions) {
    const { socket } = options;
    socket.on(SocketEvent.hello, (hello) => this.onHello(hello));
    socket.on(SocketEvent.events, (batch) => this.enqueue(() => this.onBatch(batch)));
    socket.on(SocketEvent.pendingCount, ({ pending }) => options.onPendingCount?.(pending));
    socket.on(SocketEvent.stepText, (update) => options.onStepText?.(update));
  }

  /** This tab shows `stream` until the returned function is called (counted: two pages may show one stream). */
  watch(stream: string): () => void {
    this.interest.set(stream, (this.interest.get(stream) ?? 0) + 1);
    if (this.interest.get(stream) === 1) this.sendWatch();
    return () => {
      const left = (this.interest.get(stream) ?? 1) - 1;
      if (left > 0) return void this.interest.set(stream, left);
      this.interest.delete(stream);
      this.positions.delete(stream);
      this.sendWatch();
    };
  }

  private sendWatch(): void {
    const { socket } = this.options;
    if (!socket.connected) return;
    const streams = [...this.interest.keys()];
    socket.emit(SocketEvent.watch, streams, (positions: StreamPositions) => {
      for (const [stream, position] of Object.entries(positions)) {
        // a stream we already follow keeps its position: a gap since then is caught up, not skipped
        if (!this.positions.has(stream)) this.positions.set(stream, position);
      }
    });
  }

  private onHello(hello: Hello): void {
    this.options.onHello?.(hello);
    if (hello.pendingCount !== null) this.options.onPendingCount?.(hello.pendingCount);
    const reconnected = this.connectedBefore;
    this.connectedBefore = true;
    // after a reconnect: catch up from where this tab stood, then follow again from the new positions
    const from = reconnected ? Math.min(this.lastSeenId, ...[...this.positions.values()].map((p) => p.lastId)) : 0;
    this.positions.clear();
    if (!reconnected) this.lastSeenId = hello.lastEventId;
    this.sendWatch();
    if (reconnected) this.enqueue(() => this.catchUp(from));
  }

  private async onBatch(batch: LiveBatch): Promise<void> {
    const known = this.positions.get(batch.stream);
    if (!this.interest.has(batch.stream)) return;
    if (known && batch.seq > known.seq + 1) await this.catchUp(known.lastId);
    if (known && batch.seq <= known.seq) return;
    this.apply(batch.events);
    const lastId = batch.events.at(-1)?.id ?? known?.lastId ?? 0;
    this.positions.set(batch.stream, { seq: batch.seq, lastId });
  }

  /** Every event after `afterId`, page by page; a long absence refetches the active queries instead. */
  private async catchUp(afterId: number): Promise<void> {
    const maxPages = this.options.maxCatchUpPages ?? 5;
    let after = afterId;
    try {
      for (let page = 0; page < maxPages; page++) {
        const response = await this.options.eventsAfter(after);
        this.apply(response.items);
        if (!response.hasMore) return;
        after = response.lastId;
      }
    } catch {
      // the catch-up failed: refetching what is on screen repairs the same gap
    }
    await this.options.queryClient.invalidateQueries();
  }

  /** The events not applied yet, applied once each, as one change of the cache. */
  private apply(events: readonly LiveEvent[]): void {
    const fresh = events.filter((event) => !this.seen.has(event.id));
    for (const event of fresh) {
      this.seen.add(event.id);
      this.lastSeenId = Math.max(this.lastSeenId, event.id);
    }
    while (this.seen.size > SEEN_LIMIT) {
      const oldest = this.seen.values().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
    if (fresh.length > 0) applyLiveEvents(this.options.queryClient, fresh, this.options.refetch);
  }

  /** Batches and catch-ups run one after another, in arrival order. */
  private enqueue(work: () => Promise<void> | void): void {
    this.queue = this.queue.then(work).catch(() => undefined);
  }
}
