import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminEventDto, CreatedApiTokenResponse, Page } from "@/lib/api/types";
import { Api, type ApiResponse, pendingCheckpoint, waitFor } from "./helpers/api";
import { addUser, createToken, disableUser } from "./helpers/cli";
import { readDb } from "./helpers/db";
import { ADMIN, startServer, type TestServer } from "./helpers/server";
import { WebhookReceiver } from "./helpers/webhook-receiver";

/**
 * The admin audit log (SPEC §11, issue 11 item 7) against a real server: every
 * admin change to users, tokens and webhooks commits with an admin_events row,
 * refused changes write none, secrets never appear, and GET /api/users/:id/events
 * shows a user's history (what they did and what was done to them), newest
 * first. The socket side of disabling a user is pinned in tests/users.test.ts.
 */

const REVIEWER = { email: "audit-reviewer@test.local", role: "reviewer", password: "audit-reviewer-1" } as const;

type EventRow = {
  id: number;
  type: string;
  actor_user_id: string | null;
  actor_token_id: string | null;
  actor_name: string;
  subject_user_id: string | null;
  subject_id: string | null;
  data: string | null;
};

describe("admin audit log", () => {
  let server: TestServer;
  let admin: Api;
  let adminId: string;
  let reviewer: Api;
  let reviewerId: string;
  const receivers: WebhookReceiver[] = [];

  const eventRows = (): EventRow[] =>
    readDb(server.dbPath, (db) => db.prepare("select * from admin_events order by id").all() as EventRow[]);
  const dumpLog = () => JSON.stringify(eventRows());

  /** A user's whole history through the API, walking the cursor `limit` at a time. */
  async function historyOf(userId: string, limit = 200): Promise<AdminEventDto[]> {
    const seen: AdminEventDto[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const res: ApiResponse<Page<AdminEventDto>> = await admin.get(`/api/users/${userId}/events${query}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return seen;
  }

  function expectRefused(res: ApiResponse, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  }

  beforeAll(async () => {
    server = await startServer();
    addUser(server.dbPath, REVIEWER);
    admin = await new Api(server.url).login();
    adminId = (await admin.me()).id;
    reviewer = await new Api(server.url).login(REVIEWER.email, REVIEWER.password);
    reviewerId = (await reviewer.me()).id;
  });
  afterAll(async () => {
    await server?.stop();
    for (const r of receivers) await r.close();
  });

  it("every users, tokens and events endpoint refuses a reviewer (403) and a signed-out caller (401), recording nothing", async () => {
    const token = await admin.createToken("probe", ["runs:read"]);
    const before = eventRows();
    const calls: [string, string, unknown?][] = [
      ["GET", "/api/users"],
      ["POST", "/api/users", { email: "sneaky@test.local", role: "admin", password: "sneaky-pass-1" }],
      ["GET", `/api/users/${reviewerId}`],
      ["PATCH", `/api/users/${reviewerId}`, { role: "admin" }],
      ["PATCH", `/api/users/${adminId}`, { disabled: true }],
      ["GET", `/api/users/${adminId}/events`],
      ["GET", "/api/tokens"],
      ["POST", "/api/tokens", { name: "sneaky", scopes: ["runs:write"] }],
      ["DELETE", `/api/tokens/${token.token.id}`],
    ];
    for (const [method, path, body] of calls) {
      const asReviewer = await reviewer.request(method, path, { body });
      expect(asReviewer.status, `${method} ${path} as a reviewer`).toBe(403);
      expect(asReviewer.body.error.code).toBe("forbidden");
      const signedOut = await new Api(server.url).request(method, path, { body });
      expect(signedOut.status, `${method} ${path} signed out`).toBe(401);
      expect(signedOut.body.error.code).toBe("unauthorized");
    }
    expect(eventRows()).toEqual(before);
    expect((await admin.get(`/api/users/${reviewerId}`)).body.user.role).toBe("reviewer");
    expect((await admin.get("/api/tokens?limit=100")).body.items).toContainEqual(
      expect.objectContaining({ id: token.token.id, revokedAt: null }),
    );
  });

  it("create, rename and change role, reset password, disable, enable: one event each, for the subject and the actor", async () => {
    const created = await admin.post("/api/users", {
      email: "Audited@Test.Local",
      name: "Audited",
      role: "reviewer",
      password: "audited-initial-1",
    });
    expect(created.status).toBe(201);
    const id: string = created.body.user.id;
    expect((await admin.get(`/api/users/${id}`)).body.user).toEqual(created.body.user);

    const patch = (body: unknown) => admin.request("PATCH", `/api/users/${id}`, { body });
    expect((await patch({ role: "admin", name: "Audited Admin" })).status).toBe(200);
    expect((await patch({ password: "audited-reset-22" })).status).toBe(200);
    expect((await patch({ disabled: true })).status).toBe(200);
    // setting what is already so changes nothing and records nothing
    expect((await patch({ disabled: true, role: "admin" })).status).toBe(200);
    expect((await patch({ disabled: false, role: "reviewer" })).status).toBe(200);

    const history = await historyOf(id);
    expect(history.map((e) => e.type)).toEqual([
      "user.enabled",
      "user.changed",
      "user.disabled",
      "user.password_reset",
      "user.changed",
      "user.created",
    ]);
    const actor = { userId: adminId, tokenId: null, name: "Admin" };
    for (const event of history) {
      expect(event).toMatchObject({ actor, subjectUserId: id, subjectId: id });
      expect(Date.parse(event.createdAt)).not.toBeNaN();
    }
    const byType = (type: string) => history.filter((e) => e.type === type).map((e) => e.data);
    expect(byType("user.created")).toEqual([{ email: "audited@test.local", name: "Audited", role: "reviewer" }]);
    expect(byType("user.changed")).toEqual([
      { role: { from: "admin", to: "reviewer" } },
      { name: { from: "Audited", to: "Audited Admin" }, role: { from: "reviewer", to: "admin" } },
    ]);
    expect(byType("user.password_reset")).toEqual([{ email: "audited@test.local" }]);

    // the admin's own history shows the same actions (they did them), newest first
    const mine = (await historyOf(adminId)).filter((e) => e.subjectUserId === id);
    expect(mine).toEqual(history);

    // no password, hash or KDF text anywhere in the log
    const log = dumpLog();
    for (const secret of ["audited-initial-1", "audited-reset-22", "scrypt", "password_hash", "passwordHash"]) {
      expect(log).not.toContain(secret);
    }
  });

  it("refused changes record nothing: duplicates, self-lockout, bad input, unknown ids", async () => {
    const before = eventRows();
    expectRefused(
      await admin.post("/api/users", { email: ADMIN.email, role: "reviewer", password: "duplicate-pass" }),
      409,
      "conflict",
    );
    expectRefused(
      await admin.request("PATCH", `/api/users/${adminId}`, { body: { disabled: true } }),
      409,
      "self_lockout",
    );
    expectRefused(
      await admin.request("PATCH", `/api/users/${adminId}`, { body: { role: "reviewer", name: "Renamed" } }),
      409,
      "self_lockout",
    );
    expectRefused(
      await admin.request("PATCH", `/api/users/${reviewerId}`, { body: { role: "owner" } }),
      400,
      "invalid_input",
    );
    expectRefused(await admin.request("PATCH", "/api/users/no-such-user", { body: { name: "X" } }), 404, "not_found");
    expectRefused(await admin.post("/api/tokens", { name: "t", scopes: ["everything"] }), 400, "invalid_input");
    expectRefused(await admin.request("DELETE", "/api/tokens/no-such-token"), 404, "not_found");
    expectRefused(await admin.request("DELETE", "/api/webhooks/no-such-webhook"), 404, "not_found");
    expectRefused(await admin.post("/api/webhooks/deliveries/no-such-delivery/redeliver"), 404, "not_found");
    expect(eventRows()).toEqual(before);
  });

  it("tokens: created with name and scopes (never a secret), revoked once, in the history of the admin who made them", async () => {
    const res = await admin.post("/api/tokens", { name: "audit-bot", scopes: ["runs:write", "metrics:read"] });
    expect(res.status).toBe(201);
    const created = res.body as CreatedApiTokenResponse;
    const tokenId = created.token.id;
    expect((await admin.request("DELETE", `/api/tokens/${tokenId}`)).status).toBe(200);
    // a second revoke changes nothing and records nothing
    expect((await admin.request("DELETE", `/api/tokens/${tokenId}`)).status).toBe(200);

    const about = (await historyOf(adminId)).filter((e) => e.subjectId === tokenId);
    expect(about.map((e) => e.type)).toEqual(["token.revoked", "token.created"]);
    for (const event of about) {
      expect(event).toMatchObject({
        actor: { userId: adminId, tokenId: null, name: "Admin" },
        subjectUserId: adminId,
        data: { name: "audit-bot", scopes: ["metrics:read", "runs:write"] },
      });
    }
    const log = dumpLog();
    expect(log).not.toContain(created.secret);
    expect(log).not.toContain(created.signingSecret);
    expect(log).not.toMatch(/gh_[A-Za-z0-9_-]{20}|ghs_[A-Za-z0-9_-]{20}/);
  });

  it("webhooks: created, redelivered and disabled are recorded (never the signing secret)", async () => {
    const receiver = await WebhookReceiver.start();
    receivers.push(receiver);
    const created = await admin.post("/api/webhooks", { url: receiver.url, events: ["checkpoint.created"] });
    expect(created.status).toBe(201);
    const webhookId: string = created.body.webhook.id;

    const run = await admin.startRun("test-trivial", {});
    const checkpoint = await pendingCheckpoint(admin, run.id, "check-a");
    const [first] = await receiver.waitFor(1, (r) => r.json?.checkpoint?.id === checkpoint.id);
    await waitFor(async () => {
      const page = await admin.get(`/api/webhooks/deliveries?checkpointId=${checkpoint.id}`);
      return page.body.items.find((d: { id: string; status: string }) => d.id === first.deliveryId)?.status ===
        "delivered"
        ? true
        : undefined;
    });
    expect((await admin.post(`/api/webhooks/deliveries/${first.deliveryId}/redeliver`)).status).toBe(200);
    await receiver.waitFor(2, (r) => r.json?.checkpoint?.id === checkpoint.id);
    expect((await admin.request("DELETE", `/api/webhooks/${webhookId}`)).status).toBe(200);
    expect((await admin.request("DELETE", `/api/webhooks/${webhookId}`)).status).toBe(200);

    const history = await historyOf(adminId);
    const webhookEvents = history.filter((e) => e.type.startsWith("webhook.") && e.subjectId === webhookId);
    expect(webhookEvents.map((e) => e.type)).toEqual(["webhook.deleted", "webhook.created"]);
    expect(webhookEvents[1].data).toEqual({ url: receiver.url, format: "json", events: ["checkpoint.created"] });
    const redelivered = history.filter((e) => e.type === "delivery.redelivered");
    expect(redelivered).toEqual([
      expect.objectContaining({
        actor: { userId: adminId, tokenId: null, name: "Admin" },
        subjectId: first.deliveryId,
        data: { url: receiver.url, checkpointId: checkpoint.id, previousStatus: "delivered" },
      }),
    ]);
    expect(dumpLog()).not.toContain(created.body.secret);
  });

  it("the CLI is recorded as actor 'cli' with no ids, in the history of the user it changed", async () => {
    addUser(server.dbPath, { email: "cli-audited@test.local", role: "reviewer", password: "cli-audited-1" });
    disableUser(server.dbPath, "cli-audited@test.local");
    const secret = createToken(server.dbPath, "cli-token", ["metrics:read"]);
    // the CLI calls block this process for seconds, past the server's keep-alive: let fetch see the
    // pooled connections the server closed meanwhile, or it reuses one and gets "other side closed"
    await new Promise((resolve) => setTimeout(resolve, 200));
    const users = (await admin.get("/api/users?limit=100")).body.items as { id: string; email: string }[];
    const id = users.find((u) => u.email === "cli-audited@test.local")?.id ?? "";

    const history = await historyOf(id);
    expect(history.map((e) => e.type)).toEqual(["user.disabled", "user.created"]);
    for (const event of history) expect(event.actor).toEqual({ userId: null, tokenId: null, name: "cli" });

    const tokenEvent = eventRows().find((e) => e.type === "token.created" && e.data?.includes("cli-token"));
    expect(tokenEvent).toMatchObject({ actor_user_id: null, actor_token_id: null, actor_name: "cli" });
    expect(dumpLog()).not.toContain(secret);
  });

  it("pages newest first by cursor; a foreign cursor is 400, an unknown user 404, a bad limit 400", async () => {
    for (const n of [1, 2, 3]) {
      await admin.request("PATCH", `/api/users/${reviewerId}`, { body: { name: `Reviewer ${n}` } });
    }
    const whole = await historyOf(reviewerId);
    expect(whole.length).toBeGreaterThanOrEqual(3);
    expect(await historyOf(reviewerId, 1)).toEqual(whole);
    expect(await historyOf(adminId, 2)).toEqual(await historyOf(adminId));
    const ids = (await historyOf(adminId)).map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const foreign = Buffer.from(JSON.stringify([Date.now(), "not-a-number"])).toString("base64url");
    expectRefused(await admin.get(`/api/users/${reviewerId}/events?cursor=${foreign}`), 400, "invalid_input");
    expectRefused(await admin.get(`/api/users/${reviewerId}/events?cursor=nope`), 400, "invalid_input");
    expectRefused(await admin.get(`/api/users/${reviewerId}/events?limit=1000`), 400, "invalid_input");
    expectRefused(await admin.get("/api/users/no-such-user/events"), 404, "not_found");
    expectRefused(await admin.get("/api/users/no-such-user"), 404, "not_found");
  });
});
