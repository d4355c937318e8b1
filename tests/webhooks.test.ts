import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CreatedWebhookResponse, DeliveryDto, Page, WebhookDto } from "@/lib/api/types";
import { Api, pendingCheckpoint, waitFor, waitForRunStatus } from "./helpers/api";
import { addUser } from "./helpers/cli";
import { readDb } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";
import { type Received, signatureIsValid, signedAt, WebhookReceiver } from "./helpers/webhook-receiver";

/**
 * Outgoing notifications (SPEC §9 callbacks, §10 webhooks) against a real
 * server and a real receiving HTTP server on loopback: what arrives, how it
 * is signed, and the admin API that manages them.
 */

const REVIEWER = { email: "reviewer@test.local", role: "reviewer", password: "reviewer-pass-1" } as const;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

type DeliveryRow = {
  id: string;
  event_id: number;
  target: string;
  webhook_id: string | null;
  checkpoint_id: string | null;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  body: string;
};

describe("webhooks and callbacks", () => {
  let server: TestServer;
  let admin: Api;
  let reviewer: Api;
  const receivers: WebhookReceiver[] = [];
  const created: string[] = [];

  const deliveryRows = (where = "1 = 1", ...params: unknown[]) =>
    readDb(server.dbPath, (db) =>
      db.prepare(`select * from deliveries where ${where} order by event_id`).all(...params),
    ) as DeliveryRow[];
  const countRows = (table: string) =>
    readDb(server.dbPath, (db) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n);
  const writeDb = (sql: string, ...params: unknown[]) => {
    const db = new Database(server.dbPath);
    try {
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
  };

  async function receiver(): Promise<WebhookReceiver> {
    const r = await WebhookReceiver.start();
    receivers.push(r);
    return r;
  }

  async function addWebhook(body: { url: string; format?: string; events: string[] }): Promise<CreatedWebhookResponse> {
    const res = await admin.post("/api/webhooks", body);
    expect(res.status).toBe(201);
    created.push(res.body.webhook.id);
    return res.body;
  }

  /** Requests about one checkpoint (other tests' runs notify the same webhooks while they are active). */
  const aboutCheckpoint = (id: string) => (r: Received) => r.json?.checkpoint?.id === id || r.json?.text?.includes(id);

  beforeAll(async () => {
    // test-failing's agent fails on this server: run.failed
    server = await startServer({ env: { GATEHOUSE_TEST_FAIL_FRAGILE: "1" } });
    addUser(server.dbPath, REVIEWER);
    admin = await new Api(server.url).login();
    reviewer = await new Api(server.url).login(REVIEWER.email, REVIEWER.password);
  });
  // each test's webhooks stop with it: later tests' events must not queue deliveries to closed receivers
  afterEach(async () => {
    for (const id of created.splice(0)) await admin.request("DELETE", `/api/webhooks/${id}`);
  });
  afterAll(async () => {
    await server?.stop();
    for (const r of receivers) await r.close();
  });

  it("checkpoint.created reaches a JSON webhook signed with its secret, and a Slack webhook as {text} with a link", async () => {
    const json = await receiver();
    const slack = await receiver();
    const jsonHook = await addWebhook({ url: json.url, format: "json", events: ["checkpoint.created"] });
    await addWebhook({ url: slack.url, format: "slack", events: ["checkpoint.created"] });

    const startedAt = Date.now();
    const run = await admin.startRun("test-trivial", {});
    const checkpoint = await pendingCheckpoint(admin, run.id, "check-a");

    const [signed] = await json.waitFor(1, aboutCheckpoint(checkpoint.id));
    expect(signed.headers["content-type"]).toBe("application/json");
    expect(signatureIsValid(signed.headers["gatehouse-signature"], signed.raw, jsonHook.secret)).toBe(true);
    // another secret does not verify it
    expect(signatureIsValid(signed.headers["gatehouse-signature"], signed.raw, `${jsonHook.secret}x`)).toBe(false);
    expect(signedAt(signed.headers["gatehouse-signature"])).toBeGreaterThanOrEqual(Math.floor(startedAt / 1000) * 1000);
    expect(signed.json).toEqual({ type: "checkpoint.created", checkpoint, at: expect.any(String) });
    // the delivery id is the row's, and the body sent is the one stored
    const [row] = deliveryRows("id = ?", signed.deliveryId);
    expect(row).toMatchObject({ target: jsonHook.webhook.id, checkpoint_id: checkpoint.id, body: signed.raw });
    await waitFor(async () => deliveryRows("id = ?", signed.deliveryId)[0]?.status === "delivered");

    const [text] = await slack.waitFor(1, aboutCheckpoint(checkpoint.id));
    expect(Object.keys(text.json)).toEqual(["text"]);
    expect(text.json.text).toContain(`<http://localhost:${server.port}/review/${checkpoint.id}|`);
    expect(text.json.text).toContain("check-a");
    expect(text.headers["gatehouse-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(text.headers["gatehouse-signature"]).toBeUndefined();
  });

  it("run.failed reaches the webhooks subscribed to it, and only those", async () => {
    const failures = await receiver();
    const others = await receiver();
    await addWebhook({ url: failures.url, events: ["run.failed", "checkpoint.expired"] });
    await addWebhook({ url: others.url, events: ["checkpoint.created"] });

    const run = await admin.startRun("test-failing", {});
    await waitForRunStatus(admin, run.id, "failed");
    const [notice] = await failures.waitFor(1, (r) => r.json?.run?.id === run.id);
    expect(notice.json).toMatchObject({
      type: "run.failed",
      run: { id: run.id, workflow: "test-failing", status: "failed", error: { kind: "agent", step: "fragile" } },
    });
    // a summary: never the run's state
    expect(notice.json.run.state).toBeUndefined();
    expect(Object.keys(notice.json).sort()).toEqual(["at", "run", "type"]);

    // the other webhook heard nothing of it (the run had no checkpoint either)
    await new Promise((r) => setTimeout(r, 300));
    expect(others.received.filter((r) => r.raw.includes(run.id))).toEqual([]);
  });

  it("a decided checkpoint's callbackUrl gets {type, checkpoint, decision} signed with the creating token's signing secret", async () => {
    const callbacks = await receiver();
    const token = await admin.createToken("agent-with-callbacks", ["runs:write"]);
    const agent = new Api(server.url, token.secret, { sendOrigin: false });
    const run = await agent.startRun("test-trivial", {});
    const checkpoint = await pendingCheckpoint(admin, run.id, "check-a");
    // the inbox API sets callbackUrl when it creates a checkpoint; a workflow checkpoint gets one here
    writeDb("update checkpoints set callback_url = ? where id = ?", callbacks.url, checkpoint.id);

    await reviewer.resolve(checkpoint.id, { action: "edit", content: "one, edited", notes: "tightened" });
    const [callback] = await callbacks.waitFor(1, aboutCheckpoint(checkpoint.id));
    expect(signatureIsValid(callback.headers["gatehouse-signature"], callback.raw, token.signingSecret)).toBe(true);
    expect(callback.json).toMatchObject({
      type: "checkpoint.decided",
      checkpoint: { id: checkpoint.id, runId: run.id, status: "edited", editedContent: "one, edited" },
      decision: {
        action: "edit",
        content: "one, edited",
        notes: "tightened",
        reviewer: { name: expect.any(String) },
        payloadSha256: sha256(checkpoint.content),
        contentSha256: sha256("one, edited"),
      },
    });
    expect(callback.json.decision).toEqual(callback.json.checkpoint.decision);
    await waitFor(async () => deliveryRows("id = ?", callback.deliveryId)[0]?.status === "delivered");
    expect(deliveryRows("id = ?", callback.deliveryId)[0]).toMatchObject({ target: "callback", attempts: 1 });
  });

  it("a callback with no signing secret to sign it (a person's run) is recorded as failed, never sent unsigned", async () => {
    const callbacks = await receiver();
    const run = await admin.startRun("test-trivial", {});
    const checkpoint = await pendingCheckpoint(admin, run.id, "check-a");
    writeDb("update checkpoints set callback_url = ? where id = ?", callbacks.url, checkpoint.id);
    await admin.resolve(checkpoint.id, { action: "approve" });

    const row = await waitFor(async () => deliveryRows("checkpoint_id = ? and target = 'callback'", checkpoint.id)[0]);
    expect(row.status).toBe("failed");
    expect(row.last_error).toMatch(/signing secret/);
    const listed: Page<DeliveryDto> = (await admin.get(`/api/webhooks/deliveries?checkpointId=${checkpoint.id}`)).body;
    expect(listed.items).toEqual([
      expect.objectContaining({
        id: row.id,
        target: "callback",
        status: "failed",
        attempts: 0,
        lastError: row.last_error,
      }),
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect(callbacks.received).toEqual([]);
  });

  it("redirects are not followed: a 3xx is a failed attempt, retried later, and its target gets nothing", async () => {
    const elsewhere = await receiver();
    const redirecting = await receiver();
    redirecting.answer = () => ({ status: 307, headers: { location: elsewhere.url } });
    const hook = await addWebhook({ url: redirecting.url, events: ["checkpoint.created"] });
    const run = await admin.startRun("test-trivial", {});
    const checkpoint = await pendingCheckpoint(admin, run.id, "check-a");
    const [first] = await redirecting.waitFor(1, aboutCheckpoint(checkpoint.id));

    const row = await waitFor(async () => {
      const found = deliveryRows("id = ?", first.deliveryId)[0];
      return found?.attempts === 1 ? found : undefined;
    });
    expect(row).toMatchObject({ status: "pending", last_status_code: 307 });
    expect(row.last_error).toMatch(/redirects are not followed/);
    expect(elsewhere.received).toEqual([]);

    // disabling gives up what is still pending: the retry never goes out
    const disabled = await admin.request("DELETE", `/api/webhooks/${hook.webhook.id}`);
    expect(disabled.status).toBe(200);
    expect(deliveryRows("id = ?", first.deliveryId)[0]).toMatchObject({
      status: "failed",
      last_error: expect.stringMatching(/disabled/),
    });
  });

  describe("the admin API", () => {
    it("creates a webhook (the secret once, never listed), lists, disables (twice is the same), 404 for unknown ids", async () => {
      const before = countRows("webhooks");
      const res = await admin.post("/api/webhooks", {
        url: "http://127.0.0.1:9/hook",
        events: ["checkpoint.created", "run.failed"],
      });
      expect(res.status).toBe(201);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = res.body as CreatedWebhookResponse;
      expect(Object.keys(body).sort()).toEqual(["secret", "webhook"]);
      expect(body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      expect(body.webhook).toEqual({
        id: expect.any(String),
        url: "http://127.0.0.1:9/hook",
        format: "json",
        events: ["checkpoint.created", "run.failed"],
        createdAt: expect.any(String),
        disabledAt: null,
      });
      expect(countRows("webhooks")).toBe(before + 1);

      const seen: WebhookDto[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<WebhookDto> = (await admin.get(`/api/webhooks?limit=1${cursor ? `&cursor=${cursor}` : ""}`))
          .body;
        expect(page.items.length).toBeLessThanOrEqual(1);
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.find((w) => w.id === body.webhook.id)).toEqual(body.webhook);
      expect(JSON.stringify(seen)).not.toContain("whsec_");

      const disabled = await admin.request("DELETE", `/api/webhooks/${body.webhook.id}`);
      expect(disabled.status).toBe(200);
      expect(disabled.body.webhook.disabledAt).toEqual(expect.any(String));
      const again = await admin.request("DELETE", `/api/webhooks/${body.webhook.id}`);
      expect(again.body.webhook).toEqual(disabled.body.webhook);
      expect((await admin.request("DELETE", "/api/webhooks/no-such-webhook")).status).toBe(404);
      expect((await admin.post("/api/webhooks/deliveries/no-such-delivery/redeliver")).status).toBe(404);
    });

    it("a disabled webhook gets nothing new", async () => {
      const r = await receiver();
      const hook = await addWebhook({ url: r.url, events: ["checkpoint.created"] });
      await admin.request("DELETE", `/api/webhooks/${hook.webhook.id}`);
      const run = await admin.startRun("test-trivial", {});
      const checkpoint = await pendingCheckpoint(admin, run.id, "check-a");
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(deliveryRows("webhook_id = ? and checkpoint_id = ?", hook.webhook.id, checkpoint.id)).toEqual([]);
      expect(r.received).toEqual([]);
    });

    it("redelivers a delivered delivery: same id and body, a new signature, attempts counted afresh; 409 while pending", async () => {
      const r = await receiver();
      const hook = await addWebhook({ url: r.url, events: ["checkpoint.created"] });
      const run = await admin.startRun("test-trivial", {});
      const checkpoint = await pendingCheckpoint(admin, run.id, "check-a");
      const [first] = await r.waitFor(1, aboutCheckpoint(checkpoint.id));
      await waitFor(async () => deliveryRows("id = ?", first.deliveryId)[0]?.status === "delivered");

      // hold the redelivery in flight: while it is pending, a second redeliver is refused
      r.answer = () => "hold";
      const res = await admin.post(`/api/webhooks/deliveries/${first.deliveryId}/redeliver`);
      expect(res.status).toBe(200);
      expect(res.body.delivery).toMatchObject({ id: first.deliveryId, status: "pending", attempts: 0 });
      const [, second] = await r.waitFor(2, aboutCheckpoint(checkpoint.id));
      const conflict = await admin.post(`/api/webhooks/deliveries/${first.deliveryId}/redeliver`);
      expect(conflict.status).toBe(409);
      expect(conflict.body.error.code).toBe("conflict");

      expect(second.deliveryId).toBe(first.deliveryId);
      expect(second.raw).toBe(first.raw);
      expect(signatureIsValid(second.headers["gatehouse-signature"], second.raw, hook.secret)).toBe(true);

      // the listed delivery, with its filters
      const pending: Page<DeliveryDto> = (
        await admin.get(`/api/webhooks/deliveries?status=pending&checkpointId=${checkpoint.id}`)
      ).body;
      expect(pending.items.map((d) => d.id)).toEqual([first.deliveryId]);
      const delivered: Page<DeliveryDto> = (
        await admin.get(`/api/webhooks/deliveries?status=delivered&checkpointId=${checkpoint.id}`)
      ).body;
      expect(delivered.items).toEqual([]);
    });

    it("lists deliveries newest first, a keyset page at a time", async () => {
      const r = await receiver();
      await addWebhook({ url: r.url, events: ["checkpoint.created"] });
      for (let i = 0; i < 3; i++) {
        const run = await admin.startRun("test-trivial", {});
        await pendingCheckpoint(admin, run.id, "check-a");
      }
      await r.waitFor(3);
      const seen: DeliveryDto[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<DeliveryDto> = (
          await admin.get(`/api/webhooks/deliveries?limit=2${cursor ? `&cursor=${cursor}` : ""}`)
        ).body;
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(seen.map((d) => d.id)).size).toBe(seen.length);
      expect(seen.length).toBe(countRows("deliveries"));
      const times = seen.map((d) => Date.parse(d.createdAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      // never a body (it may hold a checkpoint's content)
      expect(Object.keys(seen[0]).sort()).toEqual(
        [
          "attempts",
          "checkpointId",
          "createdAt",
          "deliveredAt",
          "eventId",
          "id",
          "lastError",
          "lastStatusCode",
          "nextAttemptAt",
          "status",
          "target",
          "type",
          "url",
        ].sort(),
      );
    });

    it.each([
      ["an unknown event", { url: "http://127.0.0.1:9/", events: ["checkpoint.decided"] }],
      ["no events", { url: "http://127.0.0.1:9/", events: [] }],
      ["an event twice", { url: "http://127.0.0.1:9/", events: ["run.failed", "run.failed"] }],
      ["a URL that is not http(s)", { url: "ftp://127.0.0.1/hook", events: ["run.failed"] }],
      ["no URL", { events: ["run.failed"] }],
      ["an unknown format", { url: "http://127.0.0.1:9/", format: "xml", events: ["run.failed"] }],
      ["an unknown field", { url: "http://127.0.0.1:9/", events: ["run.failed"], secret: "mine" }],
    ])("refuses %s (400), creating nothing", async (_, body) => {
      const before = countRows("webhooks");
      const res = await admin.post("/api/webhooks", body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
      expect(countRows("webhooks")).toBe(before);
    });

    it("refuses bad query strings and a redeliver with a body (400)", async () => {
      expect((await admin.get("/api/webhooks/deliveries?status=lost")).status).toBe(400);
      expect((await admin.get("/api/webhooks/deliveries?limit=1000")).status).toBe(400);
      expect((await admin.get("/api/webhooks/deliveries?cursor=nope")).status).toBe(400);
      expect((await admin.get("/api/webhooks?extra=1")).status).toBe(400);
      expect((await admin.post("/api/webhooks/deliveries/x/redeliver", { now: true })).status).toBe(400);
    });

    it("reviewers get 403, API tokens 403 (whatever their scopes), nobody 401, and cross-origin changes 403", async () => {
      const token = await admin.createToken("all-scopes", [
        "runs:write",
        "runs:read",
        "checkpoints:write",
        "metrics:read",
      ]);
      const bearer = new Api(server.url, token.secret, { sendOrigin: false });
      const anonymous = new Api(server.url);
      const calls: [string, string, unknown?][] = [
        ["GET", "/api/webhooks"],
        ["POST", "/api/webhooks", { url: "http://127.0.0.1:9/", events: ["run.failed"] }],
        ["DELETE", "/api/webhooks/some-id"],
        ["GET", "/api/webhooks/deliveries"],
        ["POST", "/api/webhooks/deliveries/some-id/redeliver"],
      ];
      const before = countRows("webhooks");
      for (const [method, path, body] of calls) {
        expect((await reviewer.request(method, path, { body })).status, `${method} ${path} as a reviewer`).toBe(403);
        expect((await bearer.request(method, path, { body })).status, `${method} ${path} with a token`).toBe(403);
        expect((await anonymous.request(method, path, { body })).status, `${method} ${path} signed out`).toBe(401);
      }
      const crossSite = { origin: "https://evil.example" };
      expect(
        (
          await admin.request("POST", "/api/webhooks", {
            body: { url: "http://127.0.0.1:9/", events: ["run.failed"] },
            headers: crossSite,
          })
        ).status,
      ).toBe(403);
      expect((await admin.request("DELETE", "/api/webhooks/x", { headers: crossSite })).status).toBe(403);
      expect(countRows("webhooks")).toBe(before);
    });
  });
});
