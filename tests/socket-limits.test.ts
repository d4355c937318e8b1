import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PresenceUpdate } from "@/lib/realtime/protocol";
import { Api, pendingCheckpoint, waitFor } from "./helpers/api";
import { addUser } from "./helpers/cli";
import { startServer, type TestServer } from "./helpers/server";
import { connectSocket, handshakeOutcome, nextDisconnect, type TestSocket, watchStreams } from "./socket-client";

/** Issue 7, item 7: presence only for real pending checkpoints; sockets per user and messages per second capped. */

const REVIEWER = {
  email: "watcher@test.local",
  password: "watcher-pass-1",
  role: "reviewer" as const,
  name: "Watcher",
};
const SOCKETS_PER_USER = 20;
const MESSAGES_PER_SECOND = 20;

describe("socket limits", () => {
  let server: TestServer;
  let admin: Api;
  let reviewer: Api;
  const open: TestSocket[] = [];

  const connectAs = async (api: Api) => {
    const socket = connectSocket(server.url, { origin: server.url, cookie: api.sessionCookie! });
    open.push(socket);
    return { socket, outcome: await handshakeOutcome(socket) };
  };

  /** A reviewer's socket on the queue page, recording every presence update it is sent. */
  const observer = async () => {
    const { socket, outcome } = await connectAs(reviewer);
    expect(outcome).toEqual({ connected: true });
    await watchStreams(socket, ["queue"]);
    const updates: PresenceUpdate[] = [];
    socket.on("presence", (u) => updates.push(u));
    return updates;
  };

  beforeAll(async () => {
    server = await startServer();
    admin = await new Api(server.url).login();
    addUser(server.dbPath, REVIEWER);
    reviewer = await new Api(server.url).login(REVIEWER.email, REVIEWER.password);
  });
  afterAll(async () => {
    for (const socket of open) socket.close();
    await server?.stop();
  });

  it("presence joins only checkpoints that exist and are pending: made-up, decided and run ids are never broadcast", async () => {
    const pendingRun = (await admin.startRun("test-trivial")).id;
    const pending = await pendingCheckpoint(admin, pendingRun, "check-a");
    const decidedRun = (await admin.startRun("test-trivial")).id;
    const decided = await pendingCheckpoint(admin, decidedRun, "check-a");
    await admin.resolve(decided.id, { action: "approve" });

    const updates = await observer();
    const { socket: a } = await connectAs(admin);
    for (const checkpointId of [
      "no-such-checkpoint",
      decided.id,
      decidedRun,
      "<script>alert(1)</script>",
      pending.id,
    ]) {
      a.emit("presence:join", { checkpointId });
    }
    await waitFor(async () => updates.some((u) => u.checkpointId === pending.id), 5000, "the real join");
    expect(updates.map((u) => u.checkpointId)).toEqual([pending.id]);
    expect(updates[0].viewers).toEqual([{ userId: (await admin.me()).id, name: "Admin" }]);

    // a socket that connects now is told only about the real one
    const late = connectSocket(server.url, { origin: server.url, cookie: reviewer.sessionCookie! });
    open.push(late);
    const snapshot = await new Promise<Record<string, unknown>>((resolve) => late.once("presence:snapshot", resolve));
    expect(Object.keys(snapshot)).toEqual([pending.id]);
    a.close();
  });

  it(`a user holds at most ${SOCKETS_PER_USER} sockets; the next is refused until one closes`, async () => {
    const user = { email: "tabs@test.local", password: "tabs-password-1", role: "reviewer" as const };
    addUser(server.dbPath, user);
    const tabs = await new Api(server.url).login(user.email, user.password);
    const sockets: TestSocket[] = [];
    for (let i = 0; i < SOCKETS_PER_USER; i++) {
      const { socket, outcome } = await connectAs(tabs);
      expect(outcome).toEqual({ connected: true });
      sockets.push(socket);
    }
    // another session of the same user counts too
    const elsewhere = await new Api(server.url).login(user.email, user.password);
    expect((await connectAs(elsewhere)).outcome).toEqual({ connected: false, error: "too many connections" });
    expect((await connectAs(tabs)).outcome).toEqual({ connected: false, error: "too many connections" });
    // other people are not affected
    expect((await connectAs(reviewer)).outcome).toEqual({ connected: true });

    const closed = sockets.pop()!;
    closed.close();
    await waitFor(async () => (await connectAs(tabs)).outcome.connected, 5000, "a socket after one closed");
    for (const socket of sockets) socket.close();
  });

  it(`an API token holds at most ${SOCKETS_PER_USER} sockets too`, async () => {
    const { secret } = await admin.createToken("many-sockets", ["runs:read"]);
    const outcomes = [];
    for (let i = 0; i <= SOCKETS_PER_USER; i++) {
      const socket = connectSocket(server.url, { authorization: `Bearer ${secret}` });
      open.push(socket);
      outcomes.push(await handshakeOutcome(socket));
    }
    expect(outcomes.filter((o) => o.connected)).toHaveLength(SOCKETS_PER_USER);
    expect(outcomes.at(-1)).toEqual({ connected: false, error: "too many connections" });
  });

  it(`messages over ${MESSAGES_PER_SECOND}/s are dropped; a flood disconnects the socket`, async () => {
    const runId = (await admin.startRun("test-trivial")).id;
    const { id: checkpointId } = await pendingCheckpoint(admin, runId, "check-a");
    const updates = await observer();
    const { socket: a, outcome } = await connectAs(admin);
    expect(outcome).toEqual({ connected: true });

    // 40 at once: join and leave alternately, each one that is handled is broadcast
    for (let i = 0; i < 40; i++) a.emit(i % 2 ? "presence:leave" : "presence:join", { checkpointId });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const handled = updates.filter((u) => u.checkpointId === checkpointId).length;
    expect(handled).toBeGreaterThanOrEqual(MESSAGES_PER_SECOND);
    // the bucket refills at 20/s while the burst is read: a message or two more may pass, never the 40
    expect(handled).toBeLessThanOrEqual(MESSAGES_PER_SECOND + 4);
    expect(a.connected).toBe(true);

    // a flood: dropped, then the socket is disconnected
    const dropped = nextDisconnect(a, 5000);
    for (let i = 0; i < 1000; i++) a.emit("presence:leave", { checkpointId });
    expect(await dropped).toBe("io server disconnect");
    await expect.poll(() => server.logs.join("\n")).toContain("socket disconnected: message flood");
    // the user reconnects and is served as before
    expect((await connectAs(admin)).outcome).toEqual({ connected: true });
  });
});
