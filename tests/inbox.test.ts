import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckpointDto, DecisionPollResponse } from "@/lib/api/types";
import { Api, waitFor, waitForRunStatus } from "./helpers/api";
import { addUser, createToken } from "./helpers/cli";
import { readDb, rowCounts } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";

/**
 * The inbox API (SPEC §9) and review policy (SPEC §10) against a real server:
 * checkpoints from other services, decisions back by long-poll, JSON edits
 * checked against the checkpoint's schema, allowed actions, assignment.
 */

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

const REFUND = {
  title: "Refund order #1042",
  source: "langgraph:support-bot",
  content: { orderId: 1042, amount: 129.5, currency: "EUR", reason: "damaged in transit" },
  // RFC 8785 as written by hand: keys sorted, no whitespace
  canonical: '{"amount":129.5,"currency":"EUR","orderId":1042,"reason":"damaged in transit"}',
  schema: {
    type: "object",
    required: ["orderId", "amount", "currency"],
    properties: {
      orderId: { type: "integer" },
      amount: { type: "number", minimum: 0, maximum: 500 },
      currency: { enum: ["EUR", "USD"] },
      reason: { type: "string" },
    },
    additionalProperties: false,
  },
};

describe("inbox checkpoints", () => {
  let server: TestServer;
  let admin: Api;
  let agent: Api; // a service with checkpoints:write
  let otherAgent: Api; // another service with checkpoints:write
  let reader: Api; // runs:read only
  let bob: Api;
  let carol: Api;
  let bobId: string;

  beforeAll(async () => {
    server = await startServer();
    // the CLI runs synchronously: run it before any request, so no kept-alive connection goes stale while it blocks
    const tokenClient = (scopes: string[], name: string) =>
      new Api(server.url, createToken(server.dbPath, name, scopes), { sendOrigin: false });
    agent = tokenClient(["checkpoints:write"], "support-bot");
    otherAgent = tokenClient(["checkpoints:write"], "billing-bot");
    reader = tokenClient(["runs:read"], "dashboards");
    addUser(server.dbPath, { email: "bob@test.local", password: "bob-password-1", role: "reviewer", name: "Bob" });
    addUser(server.dbPath, {
      email: "carol@test.local",
      password: "carol-password-1",
      role: "reviewer",
      name: "Carol",
    });
    admin = await new Api(server.url).login();
    bob = await new Api(server.url).login("bob@test.local", "bob-password-1");
    carol = await new Api(server.url).login("carol@test.local", "carol-password-1");
    bobId = (await bob.me()).id;
  });
  afterAll(() => server?.stop());

  async function create(body: Record<string, unknown>, client = agent, headers?: Record<string, string>) {
    const res = await client.post<{ checkpoint: CheckpointDto }>("/api/checkpoints", body, headers);
    if (res.status !== 201) throw new Error(`create answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.checkpoint;
  }

  const poll = (client: Api, id: string, wait = 0) =>
    client.get<DecisionPollResponse>(`/api/checkpoints/${id}/decision?wait=${wait}`);

  it("creates a JSON checkpoint that reviewers see in the queue with its title and source", async () => {
    const cp = await create({
      title: REFUND.title,
      source: REFUND.source,
      content: REFUND.content,
      schema: REFUND.schema,
    });
    expect(cp).toMatchObject({ status: "pending", title: REFUND.title, source: REFUND.source, contentType: "json" });
    expect(JSON.parse(cp.content)).toEqual(REFUND.content);

    const queue = await bob.checkpoints({ status: "pending" });
    expect(queue.items.find((c) => c.id === cp.id)).toMatchObject({ title: REFUND.title, source: REFUND.source });
    // inbox runs are not workflow runs: the runs list does not show them
    const runs = await admin.runs({ limit: 100 });
    expect(runs.items.some((r) => r.id === cp.runId)).toBe(false);
  });

  it("the same Idempotency-Key gives the same checkpoint (200), once; another body with it is a 409", async () => {
    const body = { title: "Deploy api v2.3", content: "Roll out api v2.3 to production", contentType: "markdown" };
    const key = { "Idempotency-Key": "deploy-2.3" };
    const first = await agent.post("/api/checkpoints", body, key);
    expect(first.status).toBe(201);
    const before = rowCounts(server.dbPath);
    const again = await agent.post("/api/checkpoints", body, key);
    expect(again.status).toBe(200);
    expect(again.body.checkpoint.id).toBe(first.body.checkpoint.id);
    expect(rowCounts(server.dbPath)).toEqual(before);

    const different = await agent.post("/api/checkpoints", { ...body, title: "Deploy api v2.4" }, key);
    expect(different.status).toBe(409);
    expect(rowCounts(server.dbPath)).toEqual(before);
    // keys belong to their sender: another token's same key is a new checkpoint
    const other = await otherAgent.post("/api/checkpoints", body, key);
    expect(other.status).toBe(201);
    expect(other.body.checkpoint.id).not.toBe(first.body.checkpoint.id);
  });

  it("a token reads only its own checkpoints (others 404); a token without checkpoints:write gets 403", async () => {
    const cp = await create({ title: "Mine", content: "only the support bot's" });
    expect((await agent.get(`/api/checkpoints/${cp.id}`)).status).toBe(200);
    expect((await poll(agent, cp.id)).status).toBe(200);
    for (const res of [await otherAgent.get(`/api/checkpoints/${cp.id}`), await poll(otherAgent, cp.id)]) {
      expect(res.status).toBe(404);
    }
    const before = rowCounts(server.dbPath);
    expect((await reader.post("/api/checkpoints", { title: "x", content: "y" })).status).toBe(403);
    expect((await poll(reader, cp.id)).status).toBe(403);
    // a token never decides: that is a reviewer's job
    expect((await agent.post(`/api/checkpoints/${cp.id}/resolve`, { action: "approve" })).status).toBe(403);
    expect(rowCounts(server.dbPath)).toEqual(before);
    // reviewers see every checkpoint
    expect((await poll(bob, cp.id)).body.status).toBe("pending");
  });

  it("bad input is a clear 400 and writes nothing", async () => {
    const before = rowCounts(server.dbPath);
    const cases: [Record<string, unknown>, string][] = [
      [{ content: "no title" }, "title"],
      [{ title: "t", content: { a: 1 }, contentType: "text" }, "contentType"],
      [{ title: "t", content: "text", schema: { type: "object" } }, "schema"],
      [{ title: "t", content: { a: 1 }, schema: { type: "no-such-type" } }, "schema"],
      [{ title: "t", content: "x", allow: [] }, "allow"],
      [{ title: "t", content: "x", allow: ["approve", "approve"] }, "allow"],
      [{ title: "t", content: "x", onTimeout: "approve" }, "onTimeout"],
      [{ title: "t", content: "x", callbackUrl: "ftp://example.com/x" }, "callbackUrl"],
      [{ title: "t", content: "x", assignee: { userId: "nobody" } }, "assignee.userId"],
      [{ title: "t", content: "x", surprise: true }, ""],
    ];
    for (const [body, path] of cases) {
      const res = await agent.post("/api/checkpoints", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
      if (path) {
        expect(
          res.body.error.details.issues.map((i: { path: string }) => i.path),
          JSON.stringify(body),
        ).toContain(path);
      }
    }
    // a reviewer's checkpoint has no signing secret to sign its callback with
    const unsigned = await bob.post("/api/checkpoints", {
      title: "t",
      content: "x",
      callbackUrl: "http://127.0.0.1:9/cb",
    });
    expect(unsigned.status).toBe(400);
    expect(rowCounts(server.dbPath)).toEqual(before);
  });

  it("the long-poll answers within a moment of the decision, with the hashes of what was sent and what was approved", async () => {
    const cp = await create({ title: REFUND.title, content: REFUND.content, schema: REFUND.schema });
    const started = Date.now();
    const waiting = poll(agent, cp.id, 30);
    await new Promise((r) => setTimeout(r, 300));
    const edited = { ...REFUND.content, amount: 100 };
    await bob.resolve(cp.id, { action: "edit", content: JSON.stringify(edited, null, 2), notes: "partial refund" });
    const res = await waiting;
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    // answered by the decision, long before the 30 s wait ran out
    expect(elapsed).toBeLessThan(10_000);
    expect(res.body).toMatchObject({ id: cp.id, status: "edited" });
    expect(res.body.decision).toEqual({
      action: "edit",
      content: edited,
      notes: "partial refund",
      reviewer: { id: bobId, name: "Bob" },
      decidedAt: expect.any(String),
      payloadSha256: sha256(REFUND.canonical),
      contentSha256: sha256('{"amount":100,"currency":"EUR","orderId":1042,"reason":"damaged in transit"}'),
    });
    // the run of an inbox checkpoint completes once decided
    await waitForRunStatus(admin, cp.runId, "completed");
  });

  it("after its wait a pending checkpoint answers pending with no decision", async () => {
    const cp = await create({ title: "Nobody looks", content: "still pending" });
    const started = Date.now();
    const res = await poll(agent, cp.id, 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(res.body).toEqual({ id: cp.id, status: "pending", decision: null });
    expect((await agent.get(`/api/checkpoints/${cp.id}/decision?wait=61`)).status).toBe(400);
  });

  it("text approved as sent: contentSha256 equals payloadSha256; a reject is an answer and completes the run", async () => {
    const text = "Send the apology email to ticket 77 — ünïcode included";
    const a = await create({ title: "Reply", content: text });
    await bob.resolve(a.id, { action: "approve" });
    const approved = (await poll(agent, a.id)).body.decision;
    expect(approved).toMatchObject({ action: "approve", content: text, payloadSha256: sha256(text) });
    expect(approved?.contentSha256).toBe(sha256(text));

    const r = await create({ title: "Reply", content: "Close the account" });
    await bob.resolve(r.id, { action: "reject", notes: "wrong customer" });
    expect((await poll(agent, r.id)).body.decision).toMatchObject({
      action: "reject",
      content: null,
      contentSha256: null,
      notes: "wrong customer",
    });
    await waitForRunStatus(admin, r.runId, "completed");
  });

  it("an edit that is not JSON, or breaks the schema, is refused (400, the reason) and changes nothing", async () => {
    const cp = await create({ title: REFUND.title, content: REFUND.content, schema: REFUND.schema });
    const before = rowCounts(server.dbPath);
    const notJson = await bob.post(`/api/checkpoints/${cp.id}/resolve`, { action: "edit", content: "{amount: 100" });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe("invalid_input");
    expect(JSON.stringify(notJson.body.error)).toMatch(/JSON/);

    const tooMuch = await bob.post(`/api/checkpoints/${cp.id}/resolve`, {
      action: "edit",
      content: JSON.stringify({ ...REFUND.content, amount: 900 }),
    });
    expect(tooMuch.status).toBe(400);
    expect(JSON.stringify(tooMuch.body.error.details)).toContain("amount");

    const notAnObject = await bob.post(`/api/checkpoints/${cp.id}/resolve`, { action: "edit", content: "[1,2]" });
    expect(notAnObject.status).toBe(400);

    expect(rowCounts(server.dbPath)).toEqual(before);
    expect((await bob.checkpoint(cp.id)).status).toBe("pending");
    expect((await poll(agent, cp.id)).body.decision).toBeNull();
  });

  it("actions outside allow are refused (409) and change nothing", async () => {
    const cp = await create({ title: "Deploy", content: "deploy v9", allow: ["approve", "reject"] });
    expect(cp.allow).toEqual(["approve", "reject"]);
    const before = rowCounts(server.dbPath);
    const res = await bob.post(`/api/checkpoints/${cp.id}/resolve`, { action: "edit", content: "deploy v10" });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("action_not_allowed");
    expect(rowCounts(server.dbPath)).toEqual(before);
    await bob.resolve(cp.id, { action: "approve" });
    expect((await poll(agent, cp.id)).body.status).toBe("approved");
  });

  it("an assigned checkpoint refuses other reviewers (403); the assignee and admins decide it; 'assigned to me' lists it", async () => {
    const forBob = await create({ title: "For Bob", content: "bob's", assignee: { userId: bobId } });
    const forAdmins = await create({ title: "For admins", content: "admins'", assignee: { role: "admin" } });
    expect(forBob.assignee).toMatchObject({ userId: bobId });

    const before = rowCounts(server.dbPath);
    const refused = await carol.post(`/api/checkpoints/${forBob.id}/resolve`, { action: "approve" });
    expect(refused.status).toBe(403);
    expect((await bob.post(`/api/checkpoints/${forAdmins.id}/resolve`, { action: "approve" })).status).toBe(403);
    expect(rowCounts(server.dbPath)).toEqual(before);

    const mine = await bob.checkpoints({ status: "pending", assignee: "me" });
    expect(mine.items.map((c) => c.id)).toContain(forBob.id);
    expect(mine.items.map((c) => c.id)).not.toContain(forAdmins.id);
    expect((await carol.checkpoints({ status: "pending", assignee: "me" })).items.map((c) => c.id)).not.toContain(
      forBob.id,
    );
    expect((await admin.checkpoints({ status: "pending", assignee: "me" })).items.map((c) => c.id)).toContain(
      forAdmins.id,
    );

    await bob.resolve(forBob.id, { action: "approve" });
    await admin.resolve(forAdmins.id, { action: "approve" });
    expect((await poll(agent, forBob.id)).body.decision?.reviewer).toEqual({ id: bobId, name: "Bob" });
    expect((await poll(agent, forAdmins.id)).body.status).toBe("approved");
  });

  it("CALLBACK_HOSTS restricts callback URLs to its hosts", async () => {
    const restricted = await startServer({ env: { CALLBACK_HOSTS: "hooks.internal,127.0.0.1" } });
    try {
      const token = new Api(restricted.url, createToken(restricted.dbPath, "bot", ["checkpoints:write"]), {
        sendOrigin: false,
      });
      const before = rowCounts(restricted.dbPath);
      const refused = await token.post("/api/checkpoints", {
        title: "t",
        content: "x",
        callbackUrl: "http://10.0.0.8/cb",
      });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body.error)).toContain("callbackUrl");
      expect(rowCounts(restricted.dbPath)).toEqual(before);
      const allowed = await token.post("/api/checkpoints", {
        title: "t",
        content: "x",
        callbackUrl: "http://127.0.0.1:9/cb",
      });
      expect(allowed.status).toBe(201);
    } finally {
      await restricted.stop();
    }
  });
});

describe("timeouts (SPEC §10)", () => {
  const expiredEvents = (dbPath: string, checkpointId: string) =>
    readDb(dbPath, (db) =>
      db
        .prepare("select count(*) as n from workflow_events where type = 'checkpoint.expired' and checkpoint_id = ?")
        .get(checkpointId),
    ) as { n: number };

  it("a checkpoint due while the server is down expires once after the restart, and its run goes on", async () => {
    let server = await startServer();
    try {
      const token = createToken(server.dbPath, "bot", ["checkpoints:write"]);
      let agent = new Api(server.url, token, { sendOrigin: false });
      const approveOnTimeout = (
        await agent.post("/api/checkpoints", {
          title: "Auto-approve",
          content: { change: "raise limit" },
          timeoutSeconds: 2,
          onTimeout: "approve",
        })
      ).body.checkpoint as CheckpointDto;
      const rejectOnTimeout = (
        await agent.post("/api/checkpoints", { title: "Auto-reject", content: "wipe cache", timeoutSeconds: 2 })
      ).body.checkpoint as CheckpointDto;
      expect(approveOnTimeout.dueAt).toBeTruthy();

      // crash before they are due; come back after
      await server.kill();
      await new Promise((r) => setTimeout(r, 2_500));
      server = await startServer({ dir: server.dir });
      agent = new Api(server.url, token, { sendOrigin: false });

      const approved = await poll(agent, approveOnTimeout.id, 10);
      expect(approved.body).toMatchObject({ status: "expired" });
      expect(approved.body.decision).toMatchObject({
        action: "timeout",
        content: { change: "raise limit" },
        reviewer: null,
        payloadSha256: sha256('{"change":"raise limit"}'),
        contentSha256: sha256('{"change":"raise limit"}'),
      });
      const rejected = await poll(agent, rejectOnTimeout.id, 10);
      expect(rejected.body.decision).toMatchObject({ action: "timeout", content: null, contentSha256: null });

      // once: another restart does not expire it again
      await server.stop();
      server = await startServer({ dir: server.dir });
      const admin = await new Api(server.url).login();
      await waitForRunStatus(admin, approveOnTimeout.runId, "completed");
      await waitForRunStatus(admin, rejectOnTimeout.runId, "completed");
      expect(expiredEvents(server.dbPath, approveOnTimeout.id).n).toBe(1);
      expect(expiredEvents(server.dbPath, rejectOnTimeout.id).n).toBe(1);
      // an expired checkpoint cannot be decided any more
      expect((await admin.post(`/api/checkpoints/${approveOnTimeout.id}/resolve`, { action: "approve" })).status).toBe(
        409,
      );
    } finally {
      await server.stop();
    }
  });

  it("a workflow checkpoint with a DSL timeout expires, the run goes on, and the next one obeys its assignee", async () => {
    const server = await startServer();
    try {
      addUser(server.dbPath, { email: "rev@test.local", password: "rev-password-1", role: "reviewer" });
      const admin = await new Api(server.url).login();
      const reviewer = await new Api(server.url).login("rev@test.local", "rev-password-1");
      const run = await admin.startRun("test-timeout");
      const detail = await waitFor(async () => {
        const d = await admin.run(run.id);
        return d.checkpoints.some((c) => c.step === "admin-only" && c.status === "pending") && d;
      });
      const auto = detail.checkpoints.find((c) => c.step === "auto-approve");
      expect(auto).toMatchObject({ status: "expired", decision: expect.objectContaining({ action: "timeout" }) });
      expect(detail.run.state.acted).toBe(true);
      expect(expiredEvents(server.dbPath, auto?.id as string).n).toBe(1);

      const adminOnly = detail.checkpoints.find((c) => c.step === "admin-only") as CheckpointDto;
      expect((await reviewer.post(`/api/checkpoints/${adminOnly.id}/resolve`, { action: "approve" })).status).toBe(403);
      await admin.resolve(adminOnly.id, { action: "approve" });
      await waitForRunStatus(admin, run.id, "completed");
    } finally {
      await server.stop();
    }
  });

  const poll = (client: Api, id: string, wait = 0) =>
    client.get<DecisionPollResponse>(`/api/checkpoints/${id}/decision?wait=${wait}`);
});
