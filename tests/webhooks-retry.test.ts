import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreatedWebhookResponse, DeliveryDto } from "@/lib/api/types";
import { Api, pendingCheckpoint, waitFor } from "./helpers/api";
import { readDb } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";
import { freePort, type Received, signatureIsValid, signedAt, WebhookReceiver } from "./helpers/webhook-receiver";

/**
 * Deliveries are retried with backoff and survive a crash (SPEC §9): a
 * receiver that fails or does not answer gets the same delivery again, and a
 * delivery pending when the server is SIGKILLed arrives after the restart.
 */

type DeliveryRow = {
  id: string;
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
};

describe("delivery retries and restarts", () => {
  let server: TestServer;
  let admin: Api;
  const receivers: WebhookReceiver[] = [];

  const deliveryRow = (id: string) =>
    readDb(server.dbPath, (db) => db.prepare("select * from deliveries where id = ?").get(id)) as
      | DeliveryRow
      | undefined;
  const deliveryCount = () =>
    readDb(server.dbPath, (db) => (db.prepare("select count(*) as n from deliveries").get() as { n: number }).n);
  const aboutCheckpoint = (id: string) => (r: Received) => r.json?.checkpoint?.id === id;

  async function receiver(port?: number): Promise<WebhookReceiver> {
    const r = await WebhookReceiver.start(port);
    receivers.push(r);
    return r;
  }
  async function addWebhook(url: string): Promise<CreatedWebhookResponse> {
    const res = await admin.post("/api/webhooks", { url, events: ["checkpoint.created"] });
    expect(res.status).toBe(201);
    return res.body;
  }
  const disable = (hook: CreatedWebhookResponse) => admin.request("DELETE", `/api/webhooks/${hook.webhook.id}`);

  beforeAll(async () => {
    server = await startServer();
    admin = await new Api(server.url).login();
  });
  afterAll(async () => {
    await server?.stop();
    for (const r of receivers) await r.close();
  });

  it("a 500, and no answer within 10 s, are retried with backoff: same delivery id and body, a valid signature each time", async () => {
    const failingFirst = await receiver();
    failingFirst.answer = (_, nth) => (nth === 1 ? { status: 500, body: "database is down" } : 200);
    const silentFirst = await receiver();
    silentFirst.answer = (_, nth) => (nth === 1 ? "hold" : 200);
    const failingHook = await addWebhook(failingFirst.url);
    const silentHook = await addWebhook(silentFirst.url);

    const run = await admin.startRun("test-trivial", {});
    const checkpoint = await pendingCheckpoint(admin, run.id, "check-a");

    // the 500: recorded, due again within 10 s (the API shows it too)
    const [first] = await failingFirst.waitFor(1, aboutCheckpoint(checkpoint.id));
    const afterFirst = await waitFor(async () => {
      const row = deliveryRow(first.deliveryId);
      return row?.attempts === 1 ? row : undefined;
    });
    expect(afterFirst).toMatchObject({
      status: "pending",
      last_status_code: 500,
      last_error: "HTTP 500: database is down",
    });
    expect(afterFirst.next_attempt_at).toBeGreaterThan(first.at);
    expect(afterFirst.next_attempt_at).toBeLessThanOrEqual(first.at + 10_000);
    const listed: DeliveryDto = (
      await admin.get(`/api/webhooks/deliveries?checkpointId=${checkpoint.id}&status=pending`)
    ).body.items.find((d: DeliveryDto) => d.id === first.deliveryId);
    expect(listed).toMatchObject({
      status: "pending",
      attempts: 1,
      lastStatusCode: 500,
      nextAttemptAt: expect.any(String),
    });

    const [, second] = await failingFirst.waitFor(2, aboutCheckpoint(checkpoint.id), 15_000);
    expect(second.at - first.at).toBeGreaterThanOrEqual(4_000);
    expect(second.at - first.at).toBeLessThanOrEqual(10_000);
    for (const attempt of [first, second]) {
      expect(attempt.deliveryId).toBe(first.deliveryId);
      expect(attempt.raw).toBe(first.raw);
      expect(signatureIsValid(attempt.headers["gatehouse-signature"], attempt.raw, failingHook.secret)).toBe(true);
    }
    // each attempt is signed when it is sent
    expect(signedAt(second.headers["gatehouse-signature"])).toBeGreaterThan(
      signedAt(first.headers["gatehouse-signature"]),
    );
    await waitFor(async () => deliveryRow(first.deliveryId)?.status === "delivered");
    expect(deliveryRow(first.deliveryId)).toMatchObject({ attempts: 2, last_status_code: 200, last_error: null });

    // no answer: the attempt ends after 10 s, and the retry (5 s later) is answered
    const [held, retried] = await silentFirst.waitFor(2, aboutCheckpoint(checkpoint.id), 25_000);
    expect(retried.deliveryId).toBe(held.deliveryId);
    expect(retried.at - held.at).toBeGreaterThanOrEqual(10_000);
    expect(signatureIsValid(retried.headers["gatehouse-signature"], retried.raw, silentHook.secret)).toBe(true);
    await waitFor(async () => deliveryRow(held.deliveryId)?.status === "delivered");
    expect(deliveryRow(held.deliveryId)?.attempts).toBe(2);

    await disable(failingHook);
    await disable(silentHook);
  }, 60_000);

  it("deliveries pending when the server is SIGKILLed (one in flight, one waiting to retry) arrive after the restart", async () => {
    // one receiver takes the request and never answers (in flight at the kill); the other is not even listening
    const hanging = await receiver();
    hanging.answer = () => "hold";
    const downPort = await freePort();
    const hangingHook = await addWebhook(hanging.url);
    const downHook = await addWebhook(`http://127.0.0.1:${downPort}/hook`);

    const run = await admin.startRun("test-trivial", {});
    const checkpoint = await pendingCheckpoint(admin, run.id, "check-a");
    const [inFlight] = await hanging.waitFor(1, aboutCheckpoint(checkpoint.id));
    const refused = await waitFor(async () => {
      const row = readDb(server.dbPath, (db) =>
        db
          .prepare("select * from deliveries where webhook_id = ? and checkpoint_id = ?")
          .get(downHook.webhook.id, checkpoint.id),
      ) as DeliveryRow | undefined;
      return row?.attempts === 1 ? row : undefined;
    });
    expect(refused.status).toBe("pending");
    expect(refused.last_error).toMatch(/ECONNREFUSED/);

    await server.kill();
    // on disk: neither was delivered; the one in flight was never even counted
    expect(deliveryRow(inFlight.deliveryId)).toMatchObject({ status: "pending", attempts: 0 });
    expect(deliveryRow(refused.id)).toMatchObject({ status: "pending", attempts: 1 });

    hanging.answer = () => 200;
    const up = await receiver(downPort);
    server = await startServer({ dir: server.dir });
    admin = await new Api(server.url).login();

    const [, again] = await hanging.waitFor(2, aboutCheckpoint(checkpoint.id));
    expect(again.deliveryId).toBe(inFlight.deliveryId);
    expect(again.raw).toBe(inFlight.raw);
    expect(signatureIsValid(again.headers["gatehouse-signature"], again.raw, hangingHook.secret)).toBe(true);
    const [late] = await up.waitFor(1, aboutCheckpoint(checkpoint.id), 20_000);
    expect(late.deliveryId).toBe(refused.id);
    expect(signatureIsValid(late.headers["gatehouse-signature"], late.raw, downHook.secret)).toBe(true);
    await waitFor(async () => deliveryRow(inFlight.deliveryId)?.status === "delivered");
    await waitFor(async () => deliveryRow(refused.id)?.status === "delivered");
    expect(deliveryRow(refused.id)?.attempts).toBe(2);
    // and exactly once each after the restart (the restart does not queue them a second time)
    expect(hanging.received.filter(aboutCheckpoint(checkpoint.id))).toHaveLength(2);
    expect(up.received.filter(aboutCheckpoint(checkpoint.id))).toHaveLength(1);

    await disable(hangingHook);
    await disable(downHook);
  }, 60_000);

  it("a first start does not replay history: the cursor begins at the newest event", async () => {
    const r = await receiver();
    const hook = await addWebhook(r.url);
    const before = await admin.startRun("test-trivial", {});
    await pendingCheckpoint(admin, before.id, "check-a");
    await r.waitFor(1, (req) => req.json?.checkpoint?.runId === before.id);

    // as on a database from before notifications: no cursor yet, and plenty of events
    await server.stop();
    const db = new Database(server.dbPath);
    try {
      db.prepare("delete from delivery_cursor").run();
      db.prepare("delete from deliveries").run();
    } finally {
      db.close();
    }
    server = await startServer({ dir: server.dir });
    admin = await new Api(server.url).login();
    const after = await admin.startRun("test-trivial", {});
    await pendingCheckpoint(admin, after.id, "check-a");
    await r.waitFor(1, (req) => req.json?.checkpoint?.runId === after.id);
    // only the new checkpoint was queued: everything before the first start stayed history
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(deliveryCount()).toBe(1);
    expect(r.received.filter((req) => req.json?.checkpoint?.runId === before.id)).toHaveLength(1);
    await disable(hook);
  });
});
