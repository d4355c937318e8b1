import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckpointDto, CreatedApiTokenResponse } from "@/lib/api/types";
import { Api, waitFor } from "./helpers/api";
import { addUser } from "./helpers/cli";
import { readDb } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";
import { type Received, signatureIsValid, WebhookReceiver } from "./helpers/webhook-receiver";

/**
 * Callbacks of inbox checkpoints (SPEC §9): created with a token's
 * `callbackUrl`, decided by a reviewer or by their timeout, the decision is
 * POSTed signed with that token's signing secret, bound to the payload by its
 * SHA-256. Admin webhooks hear of inbox checkpoints like any other.
 */

const REVIEWER = { email: "inbox-reviewer@test.local", role: "reviewer", password: "reviewer-pass-1" } as const;
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
// RFC 8785 canonical JSON of PAYLOAD, written out by hand: keys sorted, no whitespace
const PAYLOAD = { refund: { currency: "EUR", amount: 120 }, customer: "c-42", items: [2, 1] };
const PAYLOAD_CANONICAL = '{"customer":"c-42","items":[2,1],"refund":{"amount":120,"currency":"EUR"}}';

describe("inbox checkpoint callbacks", () => {
  let server: TestServer;
  let admin: Api;
  let reviewer: Api;
  let token: CreatedApiTokenResponse;
  let agent: Api;
  let callbacks: WebhookReceiver;
  let webhooks: WebhookReceiver;

  const about = (id: string) => (r: Received) => r.json?.checkpoint?.id === id || r.json?.text?.includes(id);
  const deliveryStatus = (id: string) =>
    readDb(server.dbPath, (db) => db.prepare("select status from deliveries where id = ?").get(id)) as
      | { status: string }
      | undefined;

  async function createCheckpoint(body: Record<string, unknown>): Promise<CheckpointDto> {
    const res = await agent.post("/api/checkpoints", { callbackUrl: callbacks.url, ...body });
    expect(res.status).toBe(201);
    return res.body.checkpoint;
  }

  beforeAll(async () => {
    server = await startServer();
    addUser(server.dbPath, REVIEWER);
    admin = await new Api(server.url).login();
    reviewer = await new Api(server.url).login(REVIEWER.email, REVIEWER.password);
    token = await admin.createToken("langgraph-bot", ["checkpoints:write"]);
    agent = new Api(server.url, token.secret, { sendOrigin: false });
    callbacks = await WebhookReceiver.start();
    webhooks = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await server?.stop();
    await callbacks?.close();
    await webhooks?.close();
  });

  it("a reviewer's approval reaches the callbackUrl signed with the token's signing secret, bound to the payload", async () => {
    const checkpoint = await createCheckpoint({
      title: "Refund 120 EUR",
      content: PAYLOAD,
      source: "langgraph:refunds",
    });
    await reviewer.resolve(checkpoint.id, { action: "approve", notes: "ok" });

    const [callback] = await callbacks.waitFor(1, about(checkpoint.id));
    expect(callback.headers["gatehouse-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(signatureIsValid(callback.headers["gatehouse-signature"], callback.raw, token.signingSecret)).toBe(true);
    expect(callback.json).toMatchObject({
      type: "checkpoint.decided",
      checkpoint: { id: checkpoint.id, title: "Refund 120 EUR", source: "langgraph:refunds", status: "approved" },
      decision: {
        action: "approve",
        content: PAYLOAD,
        notes: "ok",
        reviewer: { name: expect.any(String) },
        payloadSha256: sha256(PAYLOAD_CANONICAL),
        contentSha256: sha256(PAYLOAD_CANONICAL),
      },
    });
    await waitFor(async () => deliveryStatus(callback.deliveryId)?.status === "delivered");
  });

  it("an edit's callback carries both hashes: of the payload as sent, and of what was approved", async () => {
    const checkpoint = await createCheckpoint({ title: "Refund, to edit", content: PAYLOAD });
    const edited = { ...PAYLOAD, refund: { currency: "EUR", amount: 100 } };
    await reviewer.resolve(checkpoint.id, { action: "edit", content: JSON.stringify(edited) });

    const [callback] = await callbacks.waitFor(1, about(checkpoint.id));
    expect(signatureIsValid(callback.headers["gatehouse-signature"], callback.raw, token.signingSecret)).toBe(true);
    expect(callback.json.decision).toMatchObject({
      action: "edit",
      content: edited,
      payloadSha256: sha256(PAYLOAD_CANONICAL),
      contentSha256: sha256('{"customer":"c-42","items":[2,1],"refund":{"amount":100,"currency":"EUR"}}'),
    });
  });

  it("a timeout is a decision too: the callback says timeout, and checkpoint.created/expired webhooks hear of it", async () => {
    const hook = await admin.post("/api/webhooks", {
      url: webhooks.url,
      events: ["checkpoint.created", "checkpoint.expired"],
    });
    expect(hook.status).toBe(201);
    const slack = await admin.post("/api/webhooks", {
      url: webhooks.url,
      format: "slack",
      events: ["checkpoint.created"],
    });
    expect(slack.status).toBe(201);

    const checkpoint = await createCheckpoint({
      title: "Deploy v2 to production",
      content: "deploy v2",
      source: "ci:deploys",
      timeoutSeconds: 1,
      onTimeout: "reject",
    });

    const [json] = await webhooks.waitFor(1, (r) => r.json?.type === "checkpoint.created" && about(checkpoint.id)(r));
    const [slackText] = await webhooks.waitFor(1, (r) => typeof r.json?.text === "string" && about(checkpoint.id)(r));
    expect(json.json).toMatchObject({
      type: "checkpoint.created",
      checkpoint: { id: checkpoint.id, title: "Deploy v2 to production" },
    });
    expect(signatureIsValid(json.headers["gatehouse-signature"], json.raw, hook.body.secret)).toBe(true);
    expect(slackText.json.text).toContain("Deploy v2 to production");
    expect(slackText.json.text).toContain("ci:deploys");
    expect(slackText.json.text).toContain(`/review/${checkpoint.id}|`);

    const [callback] = await callbacks.waitFor(1, about(checkpoint.id), 15_000);
    expect(signatureIsValid(callback.headers["gatehouse-signature"], callback.raw, token.signingSecret)).toBe(true);
    expect(callback.json).toMatchObject({
      type: "checkpoint.decided",
      checkpoint: { id: checkpoint.id, status: "expired" },
      decision: {
        action: "timeout",
        content: null,
        reviewer: null,
        payloadSha256: sha256("deploy v2"),
        contentSha256: null,
      },
    });
    const expired = await webhooks.waitFor(1, (r) => r.json?.type === "checkpoint.expired" && about(checkpoint.id)(r));
    expect(expired[0].json.checkpoint).toMatchObject({ id: checkpoint.id, status: "expired" });
    expect(signatureIsValid(expired[0].headers["gatehouse-signature"], expired[0].raw, hook.body.secret)).toBe(true);

    await admin.request("DELETE", `/api/webhooks/${hook.body.webhook.id}`);
    await admin.request("DELETE", `/api/webhooks/${slack.body.webhook.id}`);
  });

  it("admins see each callback delivery and can redeliver it (the same id again)", async () => {
    const checkpoint = await createCheckpoint({ title: "Redeliver me", content: "text" });
    await reviewer.resolve(checkpoint.id, { action: "reject", notes: "no" });
    const [first] = await callbacks.waitFor(1, about(checkpoint.id));
    await waitFor(async () => deliveryStatus(first.deliveryId)?.status === "delivered");

    const listed = (await admin.get(`/api/webhooks/deliveries?checkpointId=${checkpoint.id}`)).body;
    expect(listed.items).toEqual([
      expect.objectContaining({ id: first.deliveryId, target: "callback", status: "delivered", attempts: 1 }),
    ]);
    expect((await admin.post(`/api/webhooks/deliveries/${first.deliveryId}/redeliver`)).status).toBe(200);
    const [, again] = await callbacks.waitFor(2, about(checkpoint.id));
    expect(again.deliveryId).toBe(first.deliveryId);
    expect(again.json.decision).toMatchObject({ action: "reject", content: null, notes: "no" });
  });
});
