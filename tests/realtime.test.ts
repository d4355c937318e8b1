import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventDto, LiveEvent } from "@/lib/api/types";
import type { LiveBatch } from "@/lib/realtime/protocol";
import { Api, waitFor } from "./helpers/api";
import { addUser, disableUser } from "./helpers/cli";
import { startServer, type TestServer } from "./helpers/server";
import { connectSocket as connect, onEvents, handshakeOutcome as outcome, watchStreams } from "./socket-client";

/** Real Socket.IO clients against the real server: who may connect, and what they hear. */

describe("realtime", () => {
  let server: TestServer;
  let api: Api;
  let cookie: string;

  beforeAll(async () => {
    // sockets re-check their session often here, so a disabled user is seen quickly
    server = await startServer({ env: { SESSION_CHECK_INTERVAL_MS: "200" } });
    api = await new Api(server.url).login();
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { origin: server.url, "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@test.local", password: "admin-password-1" }),
    });
    cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  });
  afterAll(() => server?.stop());

  it("refuses a socket without a session", async () => {
    const socket = connect(server.url, { origin: server.url });
    expect(await outcome(socket)).toEqual({ connected: false, error: "unauthorized" });
    socket.close();
  });

  it("refuses a socket with a valid session but a foreign Origin, before the connection exists", async () => {
    const socket = connect(server.url, { origin: "https://evil.example", cookie });
    // refused at the WebSocket upgrade (Engine.IO's allowRequest), so the client only learns that it failed
    expect(await outcome(socket)).toEqual({ connected: false, error: "websocket error" });
    socket.close();
    await expect.poll(() => server.logs.join("\n")).toContain("socket refused before the handshake: origin");
  });

  it("refuses a forged session cookie", async () => {
    const socket = connect(server.url, { origin: server.url, cookie: "gatehouse_session=forged" });
    expect((await outcome(socket)).connected).toBe(false);
    socket.close();
  });

  it("refuses a malformed session cookie as signed out, and keeps serving everyone else", async () => {
    const malformed = connect(server.url, { origin: server.url, cookie: "gatehouse_session=%" });
    expect(await outcome(malformed)).toEqual({ connected: false, error: "unauthorized" });
    malformed.close();
    // next to a valid cookie, the undecodable pair is skipped, not fatal
    const mixed = connect(server.url, { origin: server.url, cookie: `theme=%E0%A4%A; ${cookie}` });
    expect(await outcome(mixed)).toEqual({ connected: true });
    mixed.close();
    expect((await api.get("/api/health")).status).toBe(200);
    expect(server.logs.join("\n")).not.toMatch(/unhandled|uncaught/i);
  });

  it("delivers committed events in id order to a signed-in socket, and ends with the session", async () => {
    const socket = connect(server.url, { origin: server.url, cookie });
    const events: LiveEvent[] = [];
    const batches: LiveBatch[] = [];
    onEvents(socket, (e) => events.push(e));
    socket.on("events", (batch) => batches.push(batch));
    const hello = new Promise<{ lastEventId: number }>((resolve) => socket.once("hello", resolve));
    expect(await outcome(socket)).toEqual({ connected: true });
    const { lastEventId } = await hello;
    // a tab showing the run list and the queue
    await watchStreams(socket, ["runs", "queue"]);

    const started = await api.post("/api/workflows", {
      workflow: "content-pipeline",
      input: { topic: "socket tests" },
    });
    expect(started.status).toBe(201);
    const runId = started.body.run.id;
    await expect
      .poll(() => events.some((e) => e.type === "checkpoint.created" && e.runId === runId), { timeout: 10_000 })
      .toBe(true);
    // each stream's batches come in order, numbered one after another, with their events in id order
    for (const stream of ["runs", "queue"]) {
      const onStream = batches.filter((b) => b.stream === stream);
      expect(onStream.map((b) => b.seq)).toEqual(onStream.map((_, i) => i + 1));
      const streamIds = onStream.flatMap((b) => b.events.map((e) => e.id));
      expect(streamIds).toEqual([...streamIds].sort((a, b) => a - b));
    }
    const ids = events.map((e) => e.id);
    expect(ids.every((id) => id > lastEventId)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);

    // the socket's events are exactly what the audit log holds for the run on those two streams (the outbox
    // is the source): the run's creation and status changes, and its checkpoint events; steps only on its own stream
    const audit = await api.get(`/api/events?after=${lastEventId}`);
    const onTheseStreams = (type: string) =>
      ["run.created", "run.status"].includes(type) || type.startsWith("checkpoint.");
    const auditIds = audit.body.items
      .filter((e: LiveEvent) => e.runId === runId && onTheseStreams(e.type))
      .map((e: LiveEvent) => e.id);
    expect(
      events
        .filter((e) => e.runId === runId)
        .map((e) => e.id)
        .sort((a, b) => a - b),
    ).toEqual(auditIds);
    // each carries the summary of what it changed, as committed
    const created = events.find((e) => e.type === "checkpoint.created" && e.runId === runId);
    expect(created?.checkpoint).toMatchObject({ runId, status: "pending", step: "review-research" });
    expect(created?.checkpoint).not.toHaveProperty("content");
    expect(created?.run).toMatchObject({ id: runId });
    expect(created?.run).not.toHaveProperty("state");

    // signing out disconnects the session's sockets
    const disconnected = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    const logout = await fetch(`${server.url}/api/auth/logout`, {
      method: "POST",
      headers: { origin: server.url, "content-type": "application/json", cookie },
      body: "{}",
    });
    expect(logout.status).toBe(200);
    expect(await disconnected).toBe("io server disconnect");
    const again = connect(server.url, { origin: server.url, cookie });
    expect((await outcome(again)).connected).toBe(false);
    again.close();
  });

  it("drops the sockets of a user who is disabled elsewhere (here by the CLI), and they cannot sign in again", async () => {
    const reviewer = addUser(server.dbPath, {
      email: "dana@test.local",
      password: "dana-password-1",
      role: "reviewer",
    });
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { origin: server.url, "content-type": "application/json" },
      body: JSON.stringify({ email: reviewer.email, password: reviewer.password }),
    });
    expect(res.status).toBe(200);
    const danaCookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
    const socket = connect(server.url, { origin: server.url, cookie: danaCookie });
    expect(await outcome(socket)).toEqual({ connected: true });

    const disconnected = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    disableUser(server.dbPath, reviewer.email);
    expect(await disconnected).toBe("io server disconnect");
    const again = await new Api(server.url).post("/api/auth/login", {
      email: reviewer.email,
      password: reviewer.password,
    });
    expect(again.status).toBe(401);
    socket.close();
  });
});

describe("token sockets join only what their scopes allow", () => {
  let server: TestServer;
  let admin: Api;

  beforeAll(async () => {
    server = await startServer();
    admin = await new Api(server.url).login();
  });
  afterAll(() => server?.stop());

  /** A Node client of an API client: bearer token, no Origin; every event it hears. */
  async function tokenSocket(secret: string) {
    const socket = connect(server.url, { authorization: `Bearer ${secret}` });
    const events: EventDto[] = [];
    onEvents(socket, (e) => events.push(e));
    return { socket, events, outcome: await outcome(socket) };
  }

  it("checkpoints:write or metrics:read alone: refused, so it hears nothing", async () => {
    for (const scopes of [["checkpoints:write"], ["metrics:read"], ["checkpoints:write", "metrics:read"]]) {
      const { secret } = await admin.createToken(`no-runs-${scopes.join("-")}`, scopes);
      const { socket, events, outcome: result } = await tokenSocket(secret);
      expect(result).toEqual({ connected: false, error: "forbidden" });
      await admin.startRun("test-trivial");
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(events).toEqual([]);
      socket.close();
    }
  });

  it("runs:write hears its own runs only; runs:read every run; neither the queue, checkpoint events or notes", async () => {
    const writerA = await admin.createToken("writer-a", ["runs:write"]);
    const writerB = await admin.createToken("writer-b", ["runs:write"]);
    const reader = await admin.createToken("reader", ["runs:read"]);
    const a = await tokenSocket(writerA.secret);
    const r = await tokenSocket(reader.secret);
    expect([a.outcome, r.outcome]).toEqual([{ connected: true }, { connected: true }]);
    const person = connect(server.url, { origin: server.url, cookie: admin.sessionCookie! });
    const personEvents: EventDto[] = [];
    onEvents(person, (e) => personEvents.push(e));
    expect(await outcome(person)).toEqual({ connected: true });
    await watchStreams(person, ["runs", "queue"]);
    const before = (await admin.events()).lastId;

    const runs = {
      a: (await new Api(server.url, writerA.secret, { sendOrigin: false }).startRun("test-trivial")).id,
      b: (await new Api(server.url, writerB.secret, { sendOrigin: false }).startRun("test-trivial")).id,
      person: (await admin.startRun("test-trivial")).id,
    };
    // a reviewer decides each run's first checkpoint with a note; the second one opens
    for (const runId of Object.values(runs)) {
      const checkpoint = await waitFor(
        async () => (await admin.checkpoints({ status: "pending", runId })).items[0],
        15_000,
        `checkpoint of ${runId}`,
      );
      await admin.resolve(checkpoint.id, { action: "approve", notes: "reviewer note: not for machines" });
    }
    const decided = (runId: string) =>
      personEvents.filter((e) => e.runId === runId && e.type === "checkpoint.created").length === 2;
    await waitFor(async () => Object.values(runs).every(decided), 15_000, "every run at its second checkpoint");
    // the relay emits to every room in the same turn: what the tokens were sent has arrived by now, give it a beat
    await new Promise((resolve) => setTimeout(resolve, 300));

    // what a token may hear: the run events (never checkpoint events) of the audit log
    const audit = (await admin.events({ after: before, limit: 1000 })).items;
    const runEventsOf = (runIds: Set<string>) =>
      audit.filter((e) => runIds.has(e.runId) && !e.type.startsWith("checkpoint.")).map((e) => e.id);
    expect(a.events.map((e) => e.id)).toEqual(runEventsOf(new Set([runs.a])));
    expect(a.events.length).toBeGreaterThan(0);
    const ours = new Set(Object.values(runs));
    // one message per set of rooms a flush reaches: in id order within a message, not across two
    expect(
      r.events
        .filter((e) => ours.has(e.runId))
        .map((e) => e.id)
        .sort((x, y) => x - y),
    ).toEqual(runEventsOf(ours));
    expect(r.events.some((e) => e.type.startsWith("checkpoint."))).toBe(false);
    for (const event of [...a.events, ...r.events]) expect(event.data).toBeNull();
    expect(JSON.stringify([a.events, r.events])).not.toContain("reviewer note");
    // people still hear everything, notes included
    expect(JSON.stringify(personEvents)).toContain("reviewer note");
    for (const s of [a.socket, r.socket, person]) s.close();
  });

  it("a token with both run scopes hears each event once", async () => {
    const both = await admin.createToken("both", ["runs:write", "runs:read"]);
    const t = await tokenSocket(both.secret);
    expect(t.outcome).toEqual({ connected: true });
    const runId = (await new Api(server.url, both.secret, { sendOrigin: false }).startRun("test-trivial")).id;
    await waitFor(async () => t.events.some((e) => e.runId === runId && e.toStatus === "awaiting_checkpoint"));
    const ids = t.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    t.socket.close();
  });
});
