import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api } from "./helpers/api";
import { addUser, disableUser } from "./helpers/cli";
import { startServer, type TestServer } from "./helpers/server";
import { connectSocket as connect, handshakeOutcome as outcome } from "./socket-client";

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

  it("refuses a socket with a valid session but a foreign Origin", async () => {
    const socket = connect(server.url, { origin: "https://evil.example", cookie });
    expect(await outcome(socket)).toEqual({ connected: false, error: "forbidden origin" });
    socket.close();
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
    const events: Array<{ id: number; type: string; runId: string }> = [];
    socket.on("event", (e) => events.push(e));
    const hello = new Promise<{ lastEventId: number }>((resolve) => socket.once("hello", resolve));
    expect(await outcome(socket)).toEqual({ connected: true });
    const { lastEventId } = await hello;

    const started = await api.post("/api/workflows", {
      workflow: "content-pipeline",
      input: { topic: "socket tests" },
    });
    expect(started.status).toBe(201);
    const runId = started.body.run.id;
    await expect
      .poll(() => events.some((e) => e.type === "checkpoint.created" && e.runId === runId), { timeout: 10_000 })
      .toBe(true);
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids.every((id) => id > lastEventId)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);

    // the socket's events are exactly what the audit log holds for the run (the outbox is the source)
    const audit = await api.get(`/api/events?after=${lastEventId}`);
    const auditIds = audit.body.items
      .filter((e: { runId: string }) => e.runId === runId)
      .map((e: { id: number }) => e.id);
    expect(events.filter((e) => e.runId === runId).map((e) => e.id)).toEqual(auditIds);

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
