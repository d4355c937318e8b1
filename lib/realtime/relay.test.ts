import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "@/db/client";
import { workflowEvents } from "@/db/schema";
import type { EventDto, EventsResponse, LiveEvent } from "@/lib/api/types";
import { EventType } from "@/lib/events";
import { Api, pendingCheckpoint, waitFor } from "../../tests/helpers/api";
import { readDb } from "../../tests/helpers/db";
import { startServer, type TestServer } from "../../tests/helpers/server";
import { connectSocket, onEvents, type TestSocket, watchStreams } from "../../tests/socket-client";
import type { Hello } from "./protocol";
import { EventRelay } from "./relay";

const silent = pino({ level: "silent" });

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "relay-"));
  const { db, sqlite } = openDatabase(`file:${path.join(dir, "t.db")}`);
  migrateDatabase(db);
  const commit = (runId: string) =>
    db
      .insert(workflowEvents)
      .values({ type: EventType.runCreated, runId, actorType: "system", actorName: "system", createdAt: Date.now() })
      .run();
  return { db, sqlite, commit };
}

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

describe("EventRelay (the outbox)", () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it("starts after what was already committed, then emits new events once each, in id order", async () => {
    const { db, sqlite, commit } = setup();
    close = () => sqlite.close();
    commit("before-boot");
    const sent: EventDto[] = [];
    const relay = new EventRelay(db, (batch) => sent.push(...batch), silent);
    commit("a");
    commit("b");
    relay.notify();
    relay.notify();
    await nextTick();
    expect(sent.map((e) => e.runId)).toEqual(["a", "b"]);
    relay.flush();
    expect(sent).toHaveLength(2);
  });

  it("does not stall on a delivery that throws: the next commits go out (clients repair the gap)", async () => {
    const { db, sqlite, commit } = setup();
    close = () => sqlite.close();
    const sent: string[] = [];
    const relay = new EventRelay(
      db,
      (batch) => {
        if (batch.some((e) => e.runId === "bad")) throw new Error("boom");
        sent.push(...batch.map((e) => e.runId));
      },
      silent,
    );
    commit("bad");
    relay.flush();
    commit("good");
    relay.flush();
    expect(sent).toEqual(["good"]);
  });

  it("hands each event over with the current summary of its run (none for a run it cannot find)", async () => {
    const { db, sqlite, commit } = setup();
    close = () => sqlite.close();
    const sent: LiveEvent[] = [];
    const relay = new EventRelay(db, (batch) => sent.push(...batch), silent);
    commit("gone");
    relay.flush();
    expect(sent).toEqual([expect.objectContaining({ runId: "gone", run: null, checkpoint: null })]);
  });
});

/**
 * What the browser's SocketProvider does, without React: remember the last
 * event id, catch up with GET /api/events?after= on every reconnect, apply
 * each event once.
 */
class BrowserTab {
  readonly socket: TestSocket;
  readonly events: EventDto[] = [];
  /** ids as the socket delivered them, and as the catch-up fetched them */
  readonly live: number[] = [];
  readonly caughtUp: number[] = [];
  readonly hellos: Hello[] = [];
  lastSeen: number | null = null;
  catchingUp: Promise<void> = Promise.resolve();
  private readonly seen = new Set<number>();
  /** a tab on the runs and queue pages */
  private readonly streams = ["runs", "queue"];

  constructor(
    private readonly api: Api,
    url: string,
  ) {
    this.socket = connectSocket(url, { origin: url, cookie: api.sessionCookie! });
    this.socket.on("hello", (hello) => {
      this.hellos.push(hello);
      this.socket.emit("watch", this.streams, () => {});
      if (this.lastSeen === null) this.lastSeen = hello.lastEventId;
      else this.catchingUp = this.catchUp();
    });
    onEvents(this.socket, (event) => {
      this.live.push(event.id);
      this.apply(event);
    });
  }

  /** Also shows `stream` (a run's page), from now on. */
  follow(stream: string): Promise<unknown> {
    this.streams.push(stream);
    return watchStreams(this.socket, this.streams);
  }

  nextHello(): Promise<Hello> {
    return new Promise((resolve) => this.socket.once("hello", resolve));
  }

  saw(runId: string, type: string, toStatus?: string): boolean {
    return this.events.some((e) => e.runId === runId && e.type === type && (!toStatus || e.toStatus === toStatus));
  }

  private apply(event: EventDto) {
    if (this.seen.has(event.id)) return;
    this.seen.add(event.id);
    this.events.push(event);
    this.lastSeen = Math.max(this.lastSeen ?? 0, event.id);
  }

  private async catchUp() {
    for (;;) {
      const page = await this.api.get<EventsResponse>(`/api/events?after=${this.lastSeen}`);
      for (const event of page.body.items) {
        this.caughtUp.push(event.id);
        this.apply(event);
      }
      if (!page.body.hasMore) return;
    }
  }
}

const eventsAfter = (dbPath: string, after: number) =>
  readDb(dbPath, (db) =>
    db.prepare("select id, type, run_id as runId from workflow_events where id > ? order by id").all(after),
  ) as Array<{ id: number; type: string; runId: string }>;

/** What a tab on the run list and the queue hears (and one run's page, if it follows one). */
const onRunsOrQueue = (e: { type: string; runId: string }, runPage?: string) =>
  e.type === "run.created" || e.type === "run.status" || e.type.startsWith("checkpoint.") || e.runId === runPage;

const eventIdsAfter = (dbPath: string, after: number) =>
  readDb(dbPath, (db) =>
    (db.prepare("select id from workflow_events where id > ? order by id").all(after) as { id: number }[]).map(
      (r) => r.id,
    ),
  );

describe("the README's design notes, on a real server", () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
  });

  it("Relay after a restart starts from the newest event id: a browser that was connected before the restart catches up by itself with GET /api/events?after=<last id it saw>", async () => {
    const first = await startServer();
    servers.push(first);
    const api = await new Api(first.url).login();
    const tab = new BrowserTab(api, first.url);
    await tab.nextHello();

    // one run parked at a checkpoint, one inside a slow step when the server dies
    const parked: string = (await api.post("/api/workflows", { workflow: "test-trivial", input: {} })).body.run.id;
    const slow: string = (await api.post("/api/workflows", { workflow: "test-slow", input: { sleepMs: 2000 } })).body
      .run.id;
    // the slow run's page is open too: its steps are on its own stream
    await tab.follow(`run:${slow}`);
    await waitFor(
      async () =>
        tab.saw(parked, EventType.checkpointCreated) &&
        (await api.run(slow)).steps.some((step) => step.name === "prepare" && step.status === "completed"),
      15_000,
      "the tab to hear both runs",
    );
    const seenBeforeCrash = tab.lastSeen!;
    const dropped = new Promise((resolve) => tab.socket.once("disconnect", resolve));
    await first.kill();
    await dropped;
    const newestAtCrash = eventIdsAfter(first.dbPath, 0).at(-1)!;

    // same database and port; the tab's reconnection waits (its backoff) while work goes on without it
    const second = await startServer({ dir: first.dir, env: { PORT: String(first.port) } });
    servers.push(second);
    expect(second.port).toBe(first.port);
    // another tab, connected as soon as the server is back: it must not be sent anything from before the restart
    const observer = connectSocket(second.url, { origin: second.url, cookie: api.sessionCookie! });
    const observed: number[] = [];
    onEvents(observer, (event) => observed.push(event.id));
    const observerHello = await new Promise<Hello>((resolve) => observer.once("hello", resolve));
    await watchStreams(observer, ["runs", "queue"]);
    expect(observerHello.lastEventId).toBeGreaterThanOrEqual(newestAtCrash);
    const decided = await api.post(`/api/checkpoints/${(await pendingCheckpoint(api, parked)).id}/resolve`, {
      action: "approve",
    });
    expect(decided.status).toBe(200);
    // the slow step, cut off by the crash, runs again after the restart and opens its checkpoint
    const slowCheckpoint = await pendingCheckpoint(api, slow);
    await waitFor(
      async () => (await api.get(`/api/checkpoints?status=pending&runId=${parked}`)).body.items[0],
      15_000,
      "the parked run's next checkpoint",
    );
    const missed = eventIdsAfter(second.dbPath, seenBeforeCrash);
    expect(missed.length).toBeGreaterThan(0);

    const hello = tab.nextHello();
    tab.socket.connect();
    const { lastEventId } = await hello;
    await tab.catchingUp;
    // the new relay started from the newest id: it sent nothing old to the reconnected tab…
    expect(lastEventId).toBe(missed.at(-1));
    const liveBeforeReconnect = tab.live.length;
    // …and the tab fetched exactly what was committed after the last id it saw: in order, no gap, nothing twice
    expect(tab.caughtUp).toEqual(missed);

    // what happens next arrives live, once, with ids only above what the relay started from
    expect((await api.post(`/api/checkpoints/${slowCheckpoint.id}/resolve`, { action: "approve" })).status).toBe(200);
    await waitFor(async () => tab.saw(slow, EventType.runStatus, "completed"), 15_000, "the slow run's completion");
    const liveAfterReconnect = tab.live.slice(liveBeforeReconnect);
    expect(liveAfterReconnect.length).toBeGreaterThan(0);
    expect(liveAfterReconnect.every((id) => id > lastEventId)).toBe(true);
    // everything on its streams since the tab opened, each event once, across the crash
    const heard = tab.events.map((e) => e.id);
    expect(new Set(heard).size).toBe(heard.length);
    const itsStreams = eventsAfter(second.dbPath, tab.hellos[0].lastEventId).filter((e) => onRunsOrQueue(e, slow));
    expect(itsStreams.length).toBeGreaterThan(0);
    expect(heard).toEqual(expect.arrayContaining(itsStreams.map((e) => e.id)));
    expect(observed.length).toBeGreaterThan(0);
    expect([...observed].sort((a, b) => a - b)).toEqual(
      eventsAfter(second.dbPath, observerHello.lastEventId)
        .filter((e) => onRunsOrQueue(e))
        .map((e) => e.id),
    );
    tab.socket.close();
    observer.close();
  });
});
