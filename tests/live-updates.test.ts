import { type InfiniteData, QueryClient } from "@tanstack/react-query";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveClient } from "@/components/realtime/live-client";
import { queryKeys } from "@/lib/api/query-keys";
import type { CheckpointSummaryDto, EventsResponse, LiveEvent, Page } from "@/lib/api/types";
import type { LiveBatch, StreamPositions } from "@/lib/realtime/protocol";
import { Api, pendingCheckpoint, waitFor } from "./helpers/api";
import { startServer, type TestServer } from "./helpers/server";
import { connectSocket, handshakeOutcome, onEvents, type TestSocket, watchStreams } from "./socket-client";

const QUEUE = { status: "pending", order: "oldest", limit: 50 } as const;
const queueKey = queryKeys.checkpoints.list({ ...QUEUE, view: "queue" });

/**
 * SPEC §4 against a real server: events carry the committed summaries, and the
 * browser's own LiveClient keeps a real query cache right, also when a batch
 * goes missing.
 */
describe("live updates that carry the change", () => {
  let server: TestServer;
  let admin: Api;

  beforeAll(async () => {
    server = await startServer();
    admin = await new Api(server.url).login();
  });
  afterAll(() => server?.stop());

  it("the event of a decision carries the checkpoint's new status and its reviewer, and the run as committed", async () => {
    const socket = connectSocket(server.url, { origin: server.url, cookie: admin.sessionCookie! });
    const events: LiveEvent[] = [];
    onEvents(socket, (e) => events.push(e));
    expect(await handshakeOutcome(socket)).toEqual({ connected: true });
    await watchStreams(socket, ["queue"]);

    const run = await admin.startRun("test-trivial");
    const checkpoint = await pendingCheckpoint(admin, run.id, "check-a");
    await admin.resolve(checkpoint.id, { action: "edit", content: "edited one", notes: "tighter" });
    const decided = await waitFor(
      async () => events.find((e) => e.type === "checkpoint.decided" && e.checkpointId === checkpoint.id),
      10_000,
      "the decision's event",
    );
    const me = await admin.me();
    expect(decided.checkpoint).toMatchObject({
      id: checkpoint.id,
      status: "edited",
      edited: true,
      reviewer: { id: me.id, name: me.name },
    });
    expect(decided.checkpoint?.resolvedAt).not.toBeNull();
    // the run as committed with the decision (it went back to running)
    expect(decided.run).toMatchObject({ id: run.id, workflow: "test-trivial" });
    // summaries only: no content, no notes, no state (the notes are in the audit event's own data, for people)
    expect(JSON.stringify(decided.checkpoint)).not.toContain("tighter");
    expect(decided.checkpoint).not.toHaveProperty("content");
    expect(decided.run).not.toHaveProperty("state");
    expect(decided.data).toMatchObject({ action: "edit", notes: "tighter" });
    socket.close();
  });

  it("a batch that never arrives is noticed by its stream's seq; the catch-up repairs the cache", async () => {
    const real = connectSocket(server.url, { origin: server.url, cookie: admin.sessionCookie! });
    const connected = handshakeOutcome(real);
    // the socket the client sees: the real one, except that the first queue batch after `drop` is lost
    const handlers = new Map<string, Array<(payload: unknown) => void>>();
    const deliver = (event: string, payload: unknown) => {
      for (const handler of handlers.get(event) ?? []) handler(payload);
    };
    const lossy = {
      get connected() {
        return real.connected;
      },
      on(event: string, handler: (payload: unknown) => void) {
        handlers.set(event, [...(handlers.get(event) ?? []), handler]);
        return lossy;
      },
      emit: (event: "watch", streams: string[], ack: (positions: StreamPositions) => void) =>
        real.emit(event, streams, ack),
    };
    let drop = false;
    let dropped: LiveBatch | undefined;
    let helloSeen = false;
    real.on("hello", (hello) => {
      helloSeen = true;
      deliver("hello", hello);
    });
    real.on("events", (batch) => {
      if (drop && batch.stream === "queue" && !dropped) {
        dropped = batch;
        return;
      }
      deliver("events", batch);
    });

    const client = new QueryClient();
    const initial = await admin.checkpoints(QUEUE);
    client.setQueryData<InfiniteData<Page<CheckpointSummaryDto>>>(queueKey, {
      pages: [initial],
      pageParams: [undefined],
    });
    const catchUps: number[] = [];
    const live = new LiveClient({
      queryClient: client,
      socket: lossy as unknown as TestSocket,
      eventsAfter: async (afterId) => {
        catchUps.push(afterId);
        return (await admin.get<EventsResponse>(`/api/events?after=${afterId}`)).body;
      },
      refetch: () => {},
    });
    live.watch("queue");
    expect(await connected).toEqual({ connected: true });
    await waitFor(async () => helloSeen, 5000, "hello");
    await new Promise((resolve) => setTimeout(resolve, 200));

    drop = true;
    const first = await admin.startRun("test-trivial");
    await waitFor(async () => dropped, 10_000, "a queue batch to drop");
    const second = await admin.startRun("test-trivial");
    await pendingCheckpoint(admin, second.id, "check-a");

    // the next batch's seq jumps: the client fetched what it missed, and its queue is the server's
    const cached = () =>
      client
        .getQueryData<InfiniteData<Page<CheckpointSummaryDto>>>(queueKey)
        ?.pages.flatMap((p) => p.items.map((c) => c.id));
    const onServer = async () => (await admin.checkpoints(QUEUE)).items.map((c) => c.id);
    await waitFor(
      async () => JSON.stringify(cached()) === JSON.stringify(await onServer()),
      10_000,
      "the cache to be right",
    );
    expect(catchUps.length).toBeGreaterThan(0);
    expect(cached()).toContain((await pendingCheckpoint(admin, first.id, "check-a")).id);
    expect(dropped?.events.some((e) => e.runId === first.id)).toBe(true);
    real.close();
  });
});
